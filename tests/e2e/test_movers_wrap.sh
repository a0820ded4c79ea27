#!/bin/sh
# test_movers_wrap.sh - the text report wraps its "moved most" lines between
# entries only, never inside a name that holds ", " itself (C++ templates:
# "std::map<int, int>"). The head adds five tables of string pointers to a
# PIE (20, 19, 18, 17 and 16 pointers: one R_X86_64_RELATIVE relocation
# each, per the source; readelf confirms the total), renamed by objcopy to
# template-like names full of ", ". The failing relocs.relative rule lists
# them as "NAME +K (0 → K)"; python3 writes those entries from the names
# given here and reads the report's lines: each must be whole entries, "," at
# the end of all but the last, at most 100 columns. Then the same report in
# a 100-column tmux pane (relgate run in it), as a reader sees it.
. "$ROOT/tests/lib.sh"

if ! need cc objcopy readelf git python3; then
	skip "movers wrap" "needs cc, objcopy, readelf, git and python3"; exit 0
fi
git_test_env
export XDG_CACHE_HOME="$TEST_TMP/xdg"
cd "$TEST_TMP" || exit 1

python3 - <<'PY'
import json
names = ["std::map<int, int>::table0",
         "std::tuple<int, long, short, char, unsigned, float, double>::table1",
         "std::pair<int, int>::table2",
         "std::map<std::tuple<int, long>, std::pair<int, int>>::table3",
         "std::function<void(int, int)>::table4"]
json.dump({"names": names, "sizes": [20, 19, 18, 17, 16]}, open("names.json", "w"))
PY
named_tables || exit 0
repo=$TEST_TMP/repo
"$RELGATE" check --no-cache main..feature >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check_eq "check: relocs.relative over its budget (exit 1)" 1 $?

# judge FILE NAME: the movers lines of FILE (the report, or a tmux pane).
judge() {
	python3 - "$TEST_TMP/names.json" "$1" "$2" <<'PY' || not_ok "$2" "the python3 judge exited $? (traceback above)"
import json, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read().split("\n")
what = sys.argv[3]
want = ["%s +%d (0 \u2192 %d)" % (n, k, k) for n, k in zip(d["names"], d["sizes"])]
head = "     moved most, by symbol:"
at = [i for i, l in enumerate(text) if l.startswith(head)]
if not at:
    print("not ok - %s: no 'moved most, by symbol' line" % what)
    sys.exit(0)
lines = [text[at[0]][len(head):]]
for l in text[at[0] + 1:]:
    if not l.startswith("       ") or l.startswith(head):
        break
    lines.append(l)
fails, k = [], 0
for n, l in enumerate(lines):
    if len(l if n else head + l) > 100:
        fails.append("line %d is %d columns" % (n, len(l if n else head + l)))
    body = l.strip()
    last = n == len(lines) - 1
    # the whole entries this line holds, from the next expected one on
    j = k
    while j < len(want) and body.startswith(", ".join(want[k:j + 1])):
        j += 1
    expect = ", ".join(want[k:j]) + ("" if last else ",")
    if n == 0 and body == "":
        continue  # the first entry did not fit after the heading
    if j == k or body != expect:
        fails.append("line %d is not whole entries: %r" % (n, body[-70:]))
        break
    k = j
if not fails and k != len(want):
    fails.append("%d of %d entries" % (k, len(want)))
if fails:
    print("not ok - %s: %s" % (what, "; ".join(fails)))
else:
    print("ok - %s: %d entries on %d lines, each wrapped between entries" % (what, k, len(lines)))
PY
}
judge "$TEST_TMP/out" "text report: movers wrapped between entries, not at a name's ', '"

if need tmux; then
	# relgate itself in the pane (a terminal: colours on), on a tmux server
	# of its own (-L) that starts with this environment
	t="tmux -L relgate-movers-$$"
	$t new-session -d -s movers -x 100 -y 60 -c "$repo" \
		"sh -c '\"$RELGATE\" check --no-cache main..feature 2>/dev/null; echo done; sleep 30'" &&
		for i in 1 2 3 4 5 6 7 8 9 10; do
			sleep 1
			$t capture-pane -t movers -p >"$TEST_TMP/pane.txt"
			grep -q '^done' "$TEST_TMP/pane.txt" && break
		done
	$t kill-server 2>/dev/null
	judge "$TEST_TMP/pane.txt" "tmux 100 columns: movers lines as a reader sees them"
else
	skip "movers wrap in tmux" "tmux not installed (scripts/setup.sh --tests)"
fi
exit 0
