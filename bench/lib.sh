# bench/lib.sh - timing helpers for bench/bench_*.sh.
#   median_ms RUNS CMD...   runs CMD (a shell string) RUNS times, prints the median ms
#   peak_rss_kb CMD...      peak resident set size of one run, in KiB
#   report NAME FILE OURS_MS REF_NAME REF_MS   prints one comparison line
#   libllvm                 the path of LLVM 19's libLLVM.so, or nothing
#   libllvm_setup NAME      sets RELGATE, LLVM_BIN and lib (libLLVM.so, read
#                           once into the page cache); exits 0 (skipped) with
#                           no libLLVM 19, 1 when relgate is not built
: "${BENCH_RUNS:=5}"

now_ns() { date +%s%N; }

# g GIT-ARGS...: git with a fixed identity and no automatic gc.
g() { git -c user.name=b -c user.email=b@b -c gc.auto=0 "$@"; }

# bench_repo DIRS FILES MAX_REPEAT BUILD BUDGET: sets tmp (a directory
# removed at exit) and repo, a new repository in it whose one commit holds
# bench/gen_repo.py's tree (see there for the arguments).
bench_repo() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	repo=$tmp/repo
	mkdir -p "$repo" && python3 "$ROOT/bench/gen_repo.py" "$repo" "$@" &&
		(cd "$repo" && git init -q && git add -A && g commit -q -m base)
}

median_ms() {
	runs=$1; shift
	i=0; times=""
	while [ $i -lt "$runs" ]; do
		s=$(now_ns); sh -c "$*" >/dev/null 2>&1; e=$(now_ns)
		times="$times $(( (e - s) / 1000000 ))"
		i=$((i + 1))
	done
	echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

peak_rss_kb() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M sh -c "exec $* >/dev/null 2>&1" 2>&1 | tail -n 1
	else
		python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1], shell=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "exec $*"
	fi
}

report() { # NAME FILE OURS_MS REF_NAME REF_MS
	awk -v n="$1" -v f="$2" -v o="$3" -v rn="$4" -v r="$5" 'BEGIN {
		ratio = (o > 0) ? r / o : 0
		printf "%-28s %-40s relgate %6d ms   %-28s %6d ms   ratio %.1fx\n", n, f, o, rn, r, ratio }'
}

libllvm() {
	for c in /usr/lib/llvm-19/lib/libLLVM.so.19.1 /usr/lib/x86_64-linux-gnu/libLLVM.so.19.1; do
		[ -f "$c" ] && { readlink -f "$c"; return 0; }
	done
}

libllvm_setup() { # NAME
	RELGATE=${RELGATE:-$ROOT/relgate}
	LLVM_BIN=${LLVM_BIN:-/usr/lib/llvm-19/bin}
	lib=$(libllvm)
	if [ -z "$lib" ]; then echo "$1: libLLVM 19 not installed, skipped"; exit 0; fi
	if [ ! -x "$RELGATE" ]; then echo "$1: build relgate first (make)"; exit 1; fi
	# Warm the page cache so every tool reads from memory.
	cat "$lib" >/dev/null
}
