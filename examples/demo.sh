#!/bin/sh
# examples/demo.sh - builds the bundled example and measures it.
set -eu
cd "$(dirname "$0")/.."
out=build/example
mkdir -p "$out"
cc -O2 -fPIE -pie -o "$out/hello" examples/hello.c
./relgate measure "$out/hello"
