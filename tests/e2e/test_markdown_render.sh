#!/bin/sh
# The PR comment / job summary as GitHub shows it: relgate's Markdown is
# rendered by cmark-gfm (GitHub's CommonMark fork) into a page 880 px wide
# with GitHub's comment CSS (tests/md_page.py), laid out by headless
# Chromium, and every table must fit its box (scrollWidth <= clientWidth:
# GitHub gives a wider table a sideways scrollbar) and the page its width.
# Inputs: the embedded demo (examples/make-repo.sh: a C and a Go target)
# and a diff of JSON measurements with long target, metric and section
# names. The widths are Chromium's; relgate only wrote the Markdown.
. "$ROOT/tests/lib.sh"

if ! need cmark-gfm chromium python3; then
	skip "markdown at 880 px" "needs cmark-gfm and chromium (scripts/setup.sh --tests)"; exit 0
fi
PAGE="python3 $ROOT/tests/md_page.py"

# fits NAME MD: renders MD and checks every width.
fits() {
	$PAGE html "$2" "$TEST_TMP/page.html" || { not_ok "$1" "cmark-gfm failed"; return; }
	$PAGE measure "$TEST_TMP/page.html" >"$TEST_TMP/widths" 2>"$TEST_TMP/merr" ||
		{ not_ok "$1" "chromium: $(tail -c 300 "$TEST_TMP/merr")"; return; }
	res=$(awk '
		$1 == "page" && $2 > 880 { print "page " $2 " px wide" }
		$1 == "table" { split($3, w, "/"); n++; if (w[1] > w[2]) print "table " $2 " " $3 }
		END { if (!n) print "no table measured" }' "$TEST_TMP/widths")
	check_eq "$1" "" "$res"
}

# ---- a diff with long names: JSON measurements, budgets on them ----
python3 - "$TEST_TMP" <<'PY'
import json, os, sys
d = sys.argv[1]
long_sec = "section[.text._ZN4llvm12function_refIFvRNS_14DiagnosticInfoEEE11callback_fnIZNS_5lto3LTOC1EvE3$_0EEvlS3_].size"
def doc(m):
    return {"schema_version": 1, "tool": {"name": "relgate", "version": "x"}, "binaries": [
        {"path": "app", "format": "elf", "arch": "x86_64", "bits": 64, "endian": "little",
         "page_size": 4096, "metrics": m, "segments": [], "sections": [], "notes": []}]}
base = {"file.size": 48123456, "vm.size": 50123456, "relocs.total": 1234567, "relocs.relative": 1200000,
        "dirty.relro.bytes": 9876543, "dirty.relro.pages": 2411, "segment[__DATA_CONST].vmsize": 7654321,
        long_sec: 123456}
head = {k: v + v // 7 + 4096 for k, v in base.items()}
for i in range(30):
    base["section[.rodata.str1.%d].size" % i] = 1000 * i
    head["section[.rodata.str1.%d].size" % i] = 1000 * i + 77 * i
json.dump(doc(base), open(os.path.join(d, "base.json"), "w"))
json.dump(doc(head), open(os.path.join(d, "head.json"), "w"))
rules = "\n".join('      "%s": { max: 1000, max_increase: 1%%, warn_increase: 1 }' % k for k in base if not k.startswith("section[.rodata"))
open(os.path.join(d, "relgate.yml"), "w").write(
    "version: 1\ntargets:\n  ios-notification-service-extension-arm64e:\n    build: make\n"
    "    artifact: out/x\n    budgets:\n" + rules + "\n")
PY
cd "$TEST_TMP" || exit 1
"$RELGATE" diff --budgets relgate.yml --markdown-out long.md base.json head.json >/dev/null 2>"$TEST_TMP/err"
check_eq "long names: diff exits 1 (budgets broken)" 1 $?
fits "long names: every table fits an 880 px comment" long.md

# ---- the demo: a C and a Go target, two failures, two warnings ----
if need go cc; then
	export XDG_CACHE_HOME="$TEST_TMP/xdg"
	sh "$ROOT/examples/make-repo.sh" "$TEST_TMP/netd" >/dev/null 2>&1 ||
		{ not_ok "demo repository" "make-repo.sh failed"; exit 0; }
	(cd "$TEST_TMP/netd" && "$RELGATE" check --markdown-out "$TEST_TMP/demo.md") >/dev/null 2>&1
	check_eq "demo: check exits 1" 1 $?
	fits "demo: every table fits an 880 px comment" "$TEST_TMP/demo.md"
	# The compact table comes first and is not collapsed: failures are seen
	# without a click (the first table of the rendered page).
	# Its first row (after the header and the |---| line) is the failure,
	# and no <details> opens before it.
	sed -n '/^|/p' "$TEST_TMP/demo.md" | sed -n 3p | grep -q '^| ❌ | netd-linux | `relocs.relative` |' &&
		! sed '/^|/q' "$TEST_TMP/demo.md" | grep -q '<details' &&
		ok "demo: the failure is in the first, open table" ||
		not_ok "demo: the failure is in the first, open table" "$(head -n 14 "$TEST_TMP/demo.md")"
else
	skip "demo at 880 px" "needs go and cc"
fi
