#!/bin/sh
# examples/demo.sh - the README's first command ends here: makes the netd
# example repository (examples/make-repo.sh) in a temporary directory and
# runs `relgate check` in it. The head commit adds UPnP port mapping and
# breaks a budget, so relgate exits 1 and this script reports success: the
# breach is the expected outcome. Any other exit (2: configuration, 3: a
# build or export failed, 0: no breach) is a failure of the demo.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
relgate=${RELGATE:-$root/relgate}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/relgate-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$root/examples/make-repo.sh" "$tmp/netd" || exit 1
echo "\$ cd $tmp/netd && git log --oneline -n 2" >&2
git -C "$tmp/netd" log --oneline -n 2 >&2
cd "$tmp/netd"
if ! command -v go >/dev/null 2>&1; then
	echo "demo: go is not installed, so only the Linux target is judged" \
		"(apt-get install golang-go adds the darwin/arm64 one)" >&2
	set -- --target netd-linux "$@"
fi
echo "\$ relgate check $*" >&2
"$relgate" check "$@"
rc=$?
case $rc in
1) echo "demo: relgate check exited 1: the UPnP commit breaks its budget, as expected" >&2
   exit 0 ;;
0) echo "demo: FAILED: relgate check found no breach (exit 0)" >&2 ;;
*) echo "demo: FAILED: relgate check exited $rc" >&2 ;;
esac
exit 1
