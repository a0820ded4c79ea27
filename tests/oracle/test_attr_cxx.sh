#!/bin/sh
# test_attr_cxx.sh - packages of C++ and Rust binaries (`relgate measure
# --by package|target-package`, docs/attribution.md): a g++ program with
# namespaces, an anonymous namespace, global classes, templates, lambdas,
# local statics and std containers; a Rust program built with rustc's
# legacy and v0 manglings. tests/oracle/attr_oracle.py judges every row
# (relocs, pages, sole pages) with binutils c++filt's demangling of each
# symbol (llvm-cxxfilt-19 for the names binutils 2.40 does not read),
# never with relgate's reading of the mangled names; and on a C++ change,
# `relgate diff --by package` and `relgate check`'s movers by package. libLLVM and the npm
# corpus's C++ and Rust Mach-O are judged in test_elf_libllvm.sh and
# test_macho_npm.sh.
. "$ROOT/tests/lib.sh"
cd "$TEST_TMP"
if ! need c++filt python3; then skip "c++/rust packages" "c++filt or python3 missing"; exit 0; fi

cat > prog.cc <<'SRC'
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace geo {
namespace shapes {
struct Shape { virtual ~Shape() {} virtual double area() const = 0; };
struct Square : Shape {
	double s;
	explicit Square(double x) : s(x) {}
	double area() const override { return s * s; }
};
template <typename T> struct Box : Shape {
	T v;
	explicit Box(T x) : v(x) {}
	double area() const override { return (double)v; }
};
}
const char *const names[] = { "square", "box", "circle" };
int (*const ops[])(int) = { [](int x) { return x + 1; }, [](int x) { return x * 2; } };
const std::string &label(int i) { static const std::string l[] = { "a", "b" }; return l[i & 1]; }
}

namespace {
struct Hidden { virtual int f() { return 7; } virtual ~Hidden() {} };
const char *const hidden_names[] = { "x", "y" };
}

struct Global { virtual int g() const { return 3; } virtual ~Global() {} };
struct Derived : Global { int g() const override { return 4; } };
const char *const global_table[] = { "one", "two", "three" };
bool operator<(const Global &a, const Global &b) { return a.g() < b.g(); }

extern "C" { const char *const c_table[] = { "c1", "c2" }; }

int main(int argc, char **argv)
{
	std::vector<std::unique_ptr<geo::shapes::Shape>> v;
	v.emplace_back(new geo::shapes::Square(argc));
	v.emplace_back(new geo::shapes::Box<long>(argc));
	std::map<std::string, std::function<int(int)>> m;
	m["inc"] = geo::ops[0];
	m["dbl"] = [argc](int x) { return x * argc; };
	Hidden h;
	Derived d;
	Global g;
	double s = 0;
	for (auto &p : v)
		s += p->area();
	std::printf("%f %s %s %s %s %s %d %d %d\n", s, geo::names[argc % 3], hidden_names[argc & 1],
	            global_table[argc % 3], c_table[argc & 1], geo::label(argc).c_str(), h.f(),
	            m["inc"](argc) + m["dbl"](argc), (int)(d < g));
	try {
		if (argc > 5)
			throw std::runtime_error(argv[0]);
	} catch (const std::exception &e) {
		return 1;
	}
	return 0;
}
SRC
if g++ -O1 -fPIE -pie -o cxx-pie prog.cc 2>build.log; then
	attr_judge cxx-pie "$TEST_TMP/cxx-pie" "--keys section,package,target-package"
	# The groups the fixture is made to have, as c++filt names them.
	python3 - cxx-pie <<'PY' >want.txt
import subprocess, sys
sys.path.insert(0, __import__("os").environ["ROOT"] + "/tests/oracle")
import attr_oracle as a
names = subprocess.run(["nm", "--defined-only", "--without-symbol-versions", "-j", sys.argv[1]],
                       stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
print(" ".join(sorted(set(a.native_packages(names).values()))))
PY
	for g in geo std '(anonymous namespace)' '[global]' main '[C]'; do
		grep -qF "$g" want.txt && ok "cxx-pie: c++filt finds group $g" ||
			not_ok "cxx-pie: fixture" "no symbol of group $g: $(cat want.txt)"
	done
else
	not_ok "cxx-pie: build" "$(head -c 300 build.log)"
fi

cat > prog.rs <<'SRC'
use std::collections::HashMap;
use std::fmt;

pub mod shapes {
    pub trait Shape { fn area(&self) -> f64; }
    pub struct Square(pub f64);
    impl Shape for Square { fn area(&self) -> f64 { self.0 * self.0 } }
    pub struct Circle(pub f64);
    impl Shape for Circle { fn area(&self) -> f64 { 3.0 * self.0 * self.0 } }
    pub static NAMES: [&str; 3] = ["square", "circle", "triangle"];
    pub static OPS: [fn(i64) -> i64; 2] = [inc, dbl];
    fn inc(x: i64) -> i64 { x + 1 }
    fn dbl(x: i64) -> i64 { x * 2 }
}

struct Label(&'static str);
impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "<{}>", self.0) }
}

static TABLE: [&Label; 2] = [&Label("a"), &Label("b")];

fn main() {
    let n = std::env::args().count() as i64;
    let v: Vec<Box<dyn shapes::Shape>> =
        vec![Box::new(shapes::Square(n as f64)), Box::new(shapes::Circle(2.0))];
    let mut m: HashMap<&str, Box<dyn Fn(i64) -> i64>> = HashMap::new();
    m.insert("inc", Box::new(shapes::OPS[0]));
    m.insert("mul", Box::new(move |x| x * n));
    let s: f64 = v.iter().map(|x| x.area()).sum();
    println!("{} {} {} {}", s, shapes::NAMES[(n % 3) as usize], TABLE[(n & 1) as usize],
             m["inc"](n) + m["mul"](n));
}
SRC
# Movers by package: `relgate check` on a change that adds pointers to a
# namespace's table names that namespace among the movers of its failing
# rule, with base and head counts from attr_oracle.py's package rows.
cat > mv.cc <<'SRC'
namespace tables {
int a, b, c;
int *ptrs[] = { PTRS };
}
int main() { return *tables::ptrs[0]; }
SRC
if ! need git clang++-19; then
	skip "movers by package" "git or clang++-19 missing"
elif clang++-19 -O0 -fPIE -pie -fuse-ld=lld -DPTRS='&a, &b' -o bin0 mv.cc 2>build.log &&
	clang++-19 -O0 -fPIE -pie -fuse-ld=lld -DPTRS='&a, &b, &c, &a, &b, &c, &a' -o bin1 mv.cc 2>>build.log; then
	want=$(python3 - "$ROOT/tests/oracle" bin0 bin1 <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import attr_oracle as a
out = [a.elf_package_rows(f, True).get("tables", [0])[0] for f in sys.argv[2:]]
print("tables %d %d %+d" % (out[0], out[1], out[1] - out[0]))
PY
)
	# The source puts 2, then 7 pointers in tables::ptrs: one fixup each.
	check_eq "oracle: tables::ptrs holds the source's 2, then 7 pointers" "tables 2 7 +5" "$want"
	"$RELGATE" diff --by package --format json bin0 bin1 >diff.json 2>diff.err
	check_eq "diff --by package: tables (oracle: $want)" "$want" "$(python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["rows"] if x["name"] == "tables"][0]
print("tables", r["base"]["relocs"], r["head"]["relocs"], "%+d" % r["delta"]["relocs"])' diff.json 2>&1)"
	git_test_env
	export XDG_CACHE_HOME="$TEST_TMP/xdg"
	prebuilt_repo 0
	"$RELGATE" check --no-cache --format json main..feature >"$TEST_TMP/check.json" 2>"$TEST_TMP/check.err"
	check_eq "movers: relocs.relative over its budget (exit 1)" 1 $?
	check_eq "movers: by package, tables first (oracle: $want)" "$want" "$(python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["targets"]:
    for v in t["verdicts"]:
        m = [x for x in v.get("movers", []) if x["by"] == "package"]
        if v["metric"] == "relocs.relative" and m:
            print(m[0]["name"], m[0]["base"], m[0]["head"], "%+d" % m[0]["delta"])' "$TEST_TMP/check.json" 2>&1)"
	cd "$TEST_TMP"
else
	not_ok "movers fixture" "$(head -c 300 build.log 2>/dev/null)"
fi

if need rustc; then
	for mangling in legacy v0; do
		flag=  # rustc's default is legacy, which newer rustc only names with -Z
		[ $mangling = legacy ] || flag="-C symbol-mangling-version=$mangling"
		if rustc -O -C relocation-model=pie $flag -o "rust-$mangling" prog.rs 2>build.log; then
			attr_judge "rust-$mangling" "$TEST_TMP/rust-$mangling" \
				"--keys section,package,target-package"
			# The crate's own statics must be named in this mangling.
			case $mangling in legacy) pat='^_ZN4prog6shapes5NAMES17h' ;; v0) pat='^_RNvNtCs.*_4prog6shapes5NAMES$' ;; esac
			nm -j "rust-$mangling" | grep -q "$pat" && ok "rust-$mangling: mangled so" ||
				not_ok "rust-$mangling: fixture" "no symbol matches $pat"
		else
			not_ok "rust-$mangling: build" "$(head -c 300 build.log)"
		fi
	done
else
	skip "rust packages" "rustc missing (apt-get install rustc)"
fi
attr_judge_all
exit 0
