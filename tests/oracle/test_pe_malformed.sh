# test_pe_malformed.sh - truncated and corrupted PE images (made from the
# lld-link fixtures of test_pe_lld.sh, or built here if that test has not
# run) must give exit 2 and one clear "relgate: FILE: ..." line, never a
# crash or a sanitizer report. See tests/oracle/pe_malformed.py.
. "$ROOT/tests/lib.sh"

FIX=$FIXTURES/pe/lld
if [ ! -f "$FIX/app_arm.exe" ]; then
	# The fixtures are built by test_pe_lld.sh; build them the same way.
	sh "$ROOT/tests/oracle/test_pe_lld.sh" >/dev/null 2>&1
fi
if [ ! -f "$FIX/app_x86_64.exe" ] || ! need python3; then
	skip "pe malformed" "no lld-link fixtures (clang-19/lld-link-19 missing?) or no python3"
	exit 0
fi
mkdir -p "$TEST_TMP/mal"
python3 "$ROOT/tests/oracle/pe_malformed.py" "$RELGATE" "$TEST_TMP/mal" \
	"$FIX/app_x86_64.exe" "$FIX/app_i386.exe" "$FIX/lib_x86_64.dll"
