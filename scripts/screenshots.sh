#!/bin/sh
# scripts/screenshots.sh [OUTDIR] - remakes the README's screenshots from
# the demo, so they show what relgate prints today: makes the netd example
# repository (examples/make-repo.sh), runs `relgate report main..upnp
# --html` and `relgate check --markdown-out` in it, and screenshots with
# headless Chromium
#   OUTDIR/report.png      the HTML report, 1300 px wide (its top)
#   OUTDIR/pr-comment.png  the Markdown summary as GitHub shows a PR
#                          comment: rendered by cmark-gfm (GitHub's
#                          CommonMark fork, its table, autolink and
#                          tagfilter extensions) in an 880 px column with
#                          GitHub-like CSS
# OUTDIR defaults to docs/img. Needs relgate built (make), chromium and
# cmark-gfm (./scripts/setup.sh --tests installs them, with pngquant, which
# keeps the PNGs small, and an emoji font). Exit 0, or 1 with what failed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/img}
relgate=${RELGATE:-$root/relgate}
chromium=${CHROMIUM:-chromium}
for c in "$chromium" cmark-gfm git; do
	command -v "$c" >/dev/null 2>&1 || { echo "screenshots: $c is not installed (./scripts/setup.sh --tests)" >&2; exit 1; }
done
[ -x "$relgate" ] || { echo "screenshots: $relgate not built (make)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/relgate-shots.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$root/examples/make-repo.sh" "$tmp/netd"
set --
command -v go >/dev/null 2>&1 || set -- --target netd-linux
run() { # relgate ARGS...: exit 0 or 1 (the demo breaks a budget) is fine
	rc=0
	(cd "$tmp/netd" && "$relgate" "$@") >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" -le 1 ] || { echo "screenshots: relgate $1 exited $rc:" >&2; cat "$tmp/err" >&2; exit 1; }
}
run report main..upnp "$@" --cache-dir "$tmp/cache" --html "$tmp/report.html"
run check main...upnp "$@" --cache-dir "$tmp/cache" --markdown-out "$tmp/comment.md"

shot() { # WIDTH HEIGHT PAGE PNG
	HOME=$tmp timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$tmp/chrome" --window-size="$1,$2" --screenshot="$4" "file://$3" \
		>/dev/null 2>"$tmp/chrome.err" || { cat "$tmp/chrome.err" >&2; exit 1; }
	if command -v pngquant >/dev/null 2>&1; then
		pngquant --force --skip-if-larger --quality=70-95 --output "$4" "$4" || true
	fi
	echo "screenshots: $4 ($(wc -c <"$4") bytes)"
}
shot 1300 1300 "$tmp/report.html" "$out/report.png"

# The PR comment: GitHub renders comments with cmark-gfm and these
# extensions, keeps <details>/<summary>, and shows them in a column of
# about 880 px.
{
	cat <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#fff;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,"DejaVu Sans",sans-serif;color:#1f2328}
.comment{width:880px;margin:16px;border:1px solid #d1d9e0;border-radius:6px}
.head{background:#f6f8fa;border-bottom:1px solid #d1d9e0;padding:8px 16px;color:#59636e;border-radius:6px 6px 0 0}
.body{padding:16px;overflow:hidden}
h1,h2,h3{margin:24px 0 16px;font-weight:600;line-height:1.25}h1{font-size:2em;border-bottom:1px solid #d1d9e0b3;padding-bottom:.3em}
h2{font-size:1.5em;border-bottom:1px solid #d1d9e0b3;padding-bottom:.3em}h3{font-size:1.25em}
.body>:first-child{margin-top:0}p,ul,table,details,pre{margin:0 0 16px}
code{font:85% ui-monospace,SFMono-Regular,Menlo,"DejaVu Sans Mono",monospace;background:#818b981f;padding:.2em .4em;border-radius:6px}
pre{background:#f6f8fa;padding:16px;overflow:auto;border-radius:6px}pre code{background:none;padding:0}
table{border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto}
th,td{border:1px solid #d1d9e0;padding:6px 13px}th{font-weight:600}tr:nth-child(2n){background:#f6f8fa}
</style></head><body><div class="comment"><div class="head"><b>github-actions</b> bot commented</div><div class="body">
HTML
	# GitHub also turns emoji shortcodes into emoji; cmark-gfm does not.
	cmark-gfm --unsafe --extension table --extension strikethrough --extension autolink \
		--extension tagfilter "$tmp/comment.md" |
		sed -e "s/:x:/$(printf '\342\235\214')/g" \
			-e "s/:warning:/$(printf '\342\232\240\357\270\217')/g" \
			-e "s/:white_check_mark:/$(printf '\342\234\205')/g" \
			-e "s/:fast_forward:/$(printf '\342\217\251')/g" \
			-e "s/:boom:/$(printf '\360\237\222\245')/g"
	echo '</div></div></body></html>'
} >"$tmp/comment.html"
shot 940 1100 "$tmp/comment.html" "$out/pr-comment.png"
