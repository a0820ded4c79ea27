#!/bin/sh
# test_screenshots.sh - scripts/screenshots.sh still makes the README's
# images from the demo: two PNGs (checked by their signature and header,
# as the PNG specification lays them out), the report 1300 px wide, each
# under the 200 KB the README allows them.
. "$ROOT/tests/lib.sh"

if ! need "${CHROMIUM:-chromium}" cmark-gfm cc; then
	skip "screenshots" "needs chromium and cmark-gfm (./scripts/setup.sh --tests)"
	exit 0
fi
git_test_env
T=$TEST_TMP
if ! RELGATE=$RELGATE TMPDIR=$T sh "$ROOT/scripts/screenshots.sh" "$T/img" >"$T/out" 2>"$T/err"; then
	not_ok "screenshots: the script runs" "$(tail -n 5 "$T/err")"; exit 0
fi
ok "screenshots: the script runs"
python3 - "$T/img/report.png" "$T/img/pr-comment.png" <<'PY' || not_ok "screenshots: the checks ran" "python exited $?"
import struct, sys
for path, width in ((sys.argv[1], 1300), (sys.argv[2], None)):
    d = open(path, "rb").read()
    w, h = struct.unpack(">II", d[16:24]) if len(d) > 24 else (0, 0)
    good = d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR" and (width is None or w == width)
    print(("ok - %s: a PNG %dx%d" % (path.split("/")[-1], w, h)) if good else
          ("not ok - %s: not the PNG wanted (%dx%d)" % (path.split("/")[-1], w, h)))
    print(("ok - %s: %d bytes, under 200 KB" % (path.split("/")[-1], len(d))) if len(d) < 200 * 1024 else
          ("not ok - %s: %d bytes, over 200 KB" % (path.split("/")[-1], len(d))))
PY
