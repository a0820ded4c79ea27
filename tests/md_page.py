#!/usr/bin/env python3
"""tests/md_page.py - renders relgate's Markdown as GitHub would show it in a
pull-request comment, to look at and to measure.

  md_page.py html IN.md OUT.html   cmark-gfm (GitHub's own CommonMark fork,
                                   Debian's cmark-gfm: table, autolink,
                                   strikethrough, tagfilter extensions) into
                                   a page 880 px wide with GitHub's comment
                                   CSS (tables display:block, max-width:100%,
                                   overflow:auto; code 85%)
  md_page.py measure OUT.html      runs headless Chromium on it and prints
                                   "page W", then "table N W/CLIENT" per
                                   table: a table wider than its box (W >
                                   CLIENT) scrolls sideways in the comment
  md_page.py shot OUT.html OUT.png a screenshot at 880 px

The page carries a script that writes the widths into the DOM; --dump-dom
returns it after the script ran. Nothing here is from relgate: the widths
are Chromium's layout of cmark-gfm's HTML.
"""
import html
import os
import re
import subprocess
import sys
import tempfile

WIDTH = 880

CSS = """
body { margin: 0; width: %dpx; background: #fff; }
.markdown-body { box-sizing: border-box; padding: 16px; width: %dpx;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5;
  color: #1f2328; word-wrap: break-word; }
.markdown-body h2 { font-size: 1.5em; font-weight: 600; padding-bottom: .3em;
  border-bottom: 1px solid #d1d9e0b3; margin: 24px 0 16px; }
.markdown-body p, .markdown-body table, .markdown-body details,
.markdown-body pre { margin: 0 0 16px; }
.markdown-body table { display: block; width: max-content; max-width: 100%%;
  overflow: auto; border-spacing: 0; border-collapse: collapse;
  font-variant: tabular-nums; }
.markdown-body td, .markdown-body th { padding: 6px 13px;
  border: 1px solid #d1d9e0; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body code { padding: .2em .4em; margin: 0; font-size: 85%%;
  white-space: break-spaces; background: #818b981f; border-radius: 6px;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas,
  "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%%;
  background: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { padding: 0; background: transparent;
  white-space: pre; font-size: 100%%; }
""" % (WIDTH, WIDTH)

MEASURE = """
<script>
window.addEventListener('load', function () {
  var out = ['page ' + document.documentElement.scrollWidth];
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  document.querySelectorAll('table').forEach(function (t, i) {
    out.push('table ' + i + ' ' + t.scrollWidth + '/' + t.clientWidth);
  });
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = out.join('\\n');
  document.body.appendChild(pre);
});
</script>
"""


def render(md_path, out_path):
    with open(md_path, 'rb') as f:
        md = f.read()
    # --unsafe keeps raw HTML (GitHub then filters it through its
    # allow-list): whatever HTML relgate lets through shows in the output.
    body = subprocess.run(['cmark-gfm', '--unsafe', '-e', 'table', '-e', 'autolink',
                           '-e', 'strikethrough', '-e', 'tagfilter'],
                          input=md, check=True, capture_output=True).stdout.decode()
    page = ('<!doctype html><html><head><meta charset="utf-8"><style>%s</style></head>'
            '<body><article class="markdown-body">%s</article>%s</body></html>'
            % (CSS, body, MEASURE))
    with open(out_path, 'w') as f:
        f.write(page)


def chromium(args):
    with tempfile.TemporaryDirectory() as prof:
        return subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu',
                               '--hide-scrollbars', '--user-data-dir=' + prof,
                               '--window-size=%d,2000' % WIDTH] + args,
                              capture_output=True, timeout=120)


def measure(page):
    r = chromium(['--virtual-time-budget=2000', '--dump-dom', 'file://' + os.path.abspath(page)])
    m = re.search(r'<pre id="measured">(.*?)</pre>', r.stdout.decode(), re.S)
    if not m:
        sys.stderr.write(r.stderr.decode()[-2000:])
        sys.exit('md_page: chromium printed no measurement')
    print(html.unescape(m.group(1)))


def shot(page, png):
    chromium(['--screenshot=' + os.path.abspath(png), 'file://' + os.path.abspath(page)])
    if not os.path.exists(png):
        sys.exit('md_page: chromium wrote no screenshot')


if __name__ == '__main__':
    cmd = sys.argv[1] if len(sys.argv) > 1 else ''
    if cmd == 'html' and len(sys.argv) == 4:
        render(sys.argv[2], sys.argv[3])
    elif cmd == 'measure' and len(sys.argv) == 3:
        measure(sys.argv[2])
    elif cmd == 'shot' and len(sys.argv) == 4:
        shot(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
