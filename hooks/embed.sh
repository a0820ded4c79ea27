#!/bin/sh
# hooks/embed.sh - copies hooks/pre-push (the source of truth) into
# gate/cmd_hook.c as a C string literal, between the lines
# "/* BEGIN hooks/pre-push */" and "/* END hooks/pre-push */".
# Run it after editing hooks/pre-push; tests/e2e/test_hook_embed.sh fails
# while the embedded copy differs from the file by a single byte.
# Why embedded: `relgate hook install` must work from an installed binary
# with no source tree, and the Makefile stays untouched (no generated file).
set -eu
cd "$(dirname "$0")/.."
src=hooks/pre-push
dst=gate/cmd_hook.c
tmp=$dst.tmp.$$
# sed escapes backslashes, quotes and tabs the same way in every sed.
body=$(mktemp)
trap 'rm -f "$tmp" "$body"' EXIT
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' \
	-e 's/^/"/' -e 's/$/\\n"/' "$src" >"$body"
# awk only copies lines here: the escaping is sed's.
awk -v body="$body" '
$0 == "/* END hooks/pre-push */" { skipping = 0; found++ }
!skipping { print }
$0 == "/* BEGIN hooks/pre-push */" {
	while ((getline line < body) > 0)
		print line
	skipping = 1
	found++
}
END { if (found != 2) exit 1 }
' "$dst" >"$tmp" || {
	echo "embed.sh: markers missing in $dst" >&2
	exit 1
}
mv "$tmp" "$dst"
rm -f "$body"
trap - EXIT
