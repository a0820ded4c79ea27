# tests/oracle/fixture_lib.sh - shared by the PE and Mach-O oracle tests
# (sourced, not a test itself; tests/oracle/elf_lib.sh is the ELF twin,
# which caches one file per build command instead of one directory).
#
# What every such test otherwise repeats:
#   fixtures_cached  build a directory of fixtures once with real toolchains
#                    and keep it under $FIXTURES, keyed by the build recipe;
#   measure_json     run relgate measure --format json on one file;
#   pe_judge, macho_judge, macho_oracle, json_eq
#                    queue a comparison of relgate's JSON with an
#                    independent tool (llvm-readobj through pe_oracle.py,
#                    llvm-objdump through macho_oracle.py) or with a value
#                    the test derived itself;
#   has_line         assert the fixture really has the property a test needs.
# Queued comparisons run in one python process (oracle_batch.py) when the
# test exits: starting python costs ~0.5 s here, more than a comparison.
. "$ROOT/tests/lib.sh"
OBJDUMP="$LLVM_BIN/llvm-objdump"

# require NAME TOOL...: true when every TOOL (a command on PATH, or a path
# to an executable) is there; else prints `skip - NAME: TOOL missing` for
# the first missing one. Use: require NAME TOOL... || exit 0
require() {
	rq_name=$1; shift
	for rq_t; do
		case $rq_t in
		*/*) [ -x "$rq_t" ] && continue ;;
		*) command -v "$rq_t" >/dev/null 2>&1 && continue ;;
		esac
		skip "$rq_name" "$rq_t missing"
		return 1
	done
}

# fixtures_cached LABEL SUBDIR BUILD_FN [KEY...]
# Sets FIX=$FIXTURES/SUBDIR-KEY (also reachable as the symbolic link
# $FIXTURES/SUBDIR) and makes sure it holds the fixtures:
# unless FIX/.done exists, runs `BUILD_FN DIR` (in a subshell; it writes
# its files into DIR and returns non-zero on failure, its output goes to
# $TEST_TMP/build.log), then moves DIR to FIX and removes stale SUBDIR-*
# siblings. KEY is the cksum of BUILD_FN's own text in the test script
# (from "BUILD_FN() {" to the first line "}") and of each KEY: a file's
# contents, or else the word itself (a tool version, a generator's input).
# Prints `ok - LABEL built` or `not ok - LABEL build` (returns 1).
fixtures_cached() {
	fc_label=$1 fc_sub=$2 fc_fn=$3; shift 3
	fc_text=$(sed -n "/^$fc_fn() {/,/^}/p" "$0")
	if [ -z "$fc_text" ]; then
		not_ok "$fc_label build" "no '$fc_fn() {' ... '}' in $0 to key the cache on"
		return 1
	fi
	fc_key=$( { printf '%s\n' "$fc_text"
		for fc_k in "$@"; do
			if [ -f "$fc_k" ]; then cat "$fc_k"; else printf '%s\n' "$fc_k"; fi
		done; } | cksum | cut -d' ' -f1)
	FIX=$FIXTURES/$fc_sub-$fc_key
	if [ ! -f "$FIX/.done" ]; then
		fc_tmp=$FIX.tmp.$$
		rm -rf "$fc_tmp" && mkdir -p "$fc_tmp" || return 1
		if ! ("$fc_fn" "$fc_tmp") >"$TEST_TMP/build.log" 2>&1; then
			not_ok "$fc_label build" "$(tail -n 5 "$TEST_TMP/build.log")"
			rm -rf "$fc_tmp"
			return 1
		fi
		touch "$fc_tmp/.done"
		for fc_old in "$FIXTURES/$fc_sub"-*; do
			case $fc_old in *.tmp.*) continue ;; esac
			rm -rf "$fc_old"
		done
		mv "$fc_tmp" "$FIX" || return 1
	fi
	# $FIXTURES/SUBDIR, a stable name for other users (test_pe_malformed.sh,
	# tests/fuzz/seed_*.sh); re-pointed every run, as the key may change back.
	rm -f "$FIXTURES/$fc_sub" && ln -s "${FIX##*/}" "$FIXTURES/$fc_sub" || return 1
	ok "$fc_label built"
}

# The queue of comparisons; oracle_batch.py documents the line format.
ORACLE_QUEUE=$TEST_TMP/oracle.queue
: >"$ORACLE_QUEUE"
# oracle_queue SCRIPT ARG...: a call of tests/oracle/SCRIPT (its main())
oracle_queue() {
	{ printf '%s' "$1"; shift; [ $# -gt 0 ] && printf '\t%s' "$@"; printf '\n'; } >>"$ORACLE_QUEUE"
}
# oracle_run: runs the queue now (also done when the test exits).
oracle_run() {
	[ -s "$ORACLE_QUEUE" ] || return 0
	python3 "$ROOT/tests/oracle/oracle_batch.py" "$ORACLE_QUEUE" ||
		not_ok "oracle batch" "oracle_batch.py exited $? on $(wc -l <"$ORACLE_QUEUE") queued calls"
	: >"$ORACLE_QUEUE"
}
trap oracle_run EXIT

# json_eq NAME JSON_FILE EXPR WANT: ok when python's str(EXPR) equals WANT;
# EXPR sees `doc` (the document) and `b` (doc["binaries"][0]).
json_eq() {
	oracle_queue json "$@"
}

# measure_json NAME FILE [RELGATE OPTION...]: relgate's JSON for FILE in
# $TEST_TMP/NAME.json (NAME: letters, digits, _ . -); on failure prints
# `not ok - NAME measure` and returns 1.
measure_json() {
	mj_name=$1 mj_file=$2; shift 2
	if "$RELGATE" measure --format json "$@" "$mj_file" >"$TEST_TMP/$mj_name.json" \
		2>"$TEST_TMP/$mj_name.err"; then
		return 0
	fi
	not_ok "$mj_name measure" "relgate failed: $(head -c 300 "$TEST_TMP/$mj_name.err")"
	return 1
}

# pe_judge FILE [pe_oracle.py FLAG...]: llvm-readobj's view of FILE (kept as
# $TEST_TMP/NAME.ro, NAME its base name, for has_line) against relgate's;
# the oracle's lines are named after NAME.
pe_judge() {
	pj_file=$1; shift
	pj_n=${pj_file##*/}
	if ! "$LLVM_BIN/llvm-readobj" --file-headers --sections --coff-basereloc --coff-imports \
		"$pj_file" >"$TEST_TMP/$pj_n.ro" 2>&1; then
		not_ok "$pj_n readobj" "llvm-readobj failed: $(head -c 300 "$TEST_TMP/$pj_n.ro")"
		return 1
	fi
	measure_json "$pj_n" "$pj_file" || return 1
	oracle_queue pe_oracle.py "$pj_n" "$TEST_TMP/$pj_n.ro" "$TEST_TMP/$pj_n.json" "$@"
}

# macho_oracle NAME FILE JSON INDEX [macho_oracle.py OPTION...]: llvm-objdump's
# view of FILE against binaries[INDEX] of relgate's JSON (-1: by --arch).
macho_oracle() {
	mo_name=$1 mo_file=$2 mo_json=$3 mo_index=$4; shift 4
	oracle_queue macho_oracle.py "$OBJDUMP" "$mo_file" "$mo_json" "$mo_index" "$mo_name" "$@"
}

# macho_judge NAME FILE [macho_oracle.py OPTION...]: relgate on a thin FILE
# ($TEST_TMP/NAME.json) against llvm-objdump.
macho_judge() {
	mg_name=$1 mg_file=$2; shift 2
	measure_json "$mg_name" "$mg_file" || return 1
	macho_oracle "$mg_name" "$mg_file" "$TEST_TMP/$mg_name.json" 0 "$@"
}

# has_line NAME FILE REGEX: ok when grep finds REGEX (a basic regular
# expression) in FILE: a property of a fixture the other checks rely on.
has_line() {
	if grep -q -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no line matching '$3' in ${2##*/}"; fi
}

# A libSystem stub for ld64.lld (text-based dylib): the imports of
# macho_gen.py's C file for iOS arm64, watchOS arm64_32 and macOS x86_64,
# with a weak definition that the fixtures override.
MACHO_TBD='--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-ios, arm64_32-watchos, x86_64-macos ]
install-name:    '"'/usr/lib/libSystem.B.dylib'"'
current-version: 1311
exports:
  - targets:         [ arm64-ios, arm64_32-watchos, x86_64-macos ]
    symbols:         [ _printf, _malloc, _free, _puts, _ext_var, _ext_arr, dyld_stub_binder ]
    weak-symbols:    [ _weakover ]
...'

# A small Go program with pointer-bearing data (a slice of pointers, maps of
# interface values and of closures) for the Go-linked fixtures: built with
# GOOS/GOARCH set, it makes rebases in every format Go links.
GO_MAIN='package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

type shape interface{ area() float64 }
type sq struct{ s float64 }

func (q sq) area() float64 { return q.s * q.s }

var table = []*int{new(int), new(int), new(int)}
var shapes = map[string]shape{"a": sq{1}, "b": sq{2}}
var funcs = map[string]func(int) int{
	"double": func(x int) int { return 2 * x },
	"square": func(x int) int { return x * x },
}

func main() {
	keys := make([]string, 0, len(shapes)+len(funcs))
	for k := range shapes {
		keys = append(keys, k)
	}
	for k := range funcs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(strings.Join(keys, ","), len(os.Args), len(table), funcs["double"](len(os.Args)))
}'
