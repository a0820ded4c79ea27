#!/bin/sh
# examples/make-repo.sh DIR - makes a real git repository in DIR (which must
# not exist or be empty) from examples/netd: the base commit on `main`
# (the program and its relgate.yml) and, on branch `upnp` (checked out), a
# head commit that adds UPnP port mapping (a new C module and a new Go
# package full of tables of strings and function pointers). Running
# `relgate check` in DIR then judges the head against the base's budgets.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: make-repo.sh DIR}
mkdir -p "$dir"
cd "$dir"
git init -q -b main .
git config user.name "relgate example"
git config user.email "example@relgate.invalid"
git config commit.gpgsign false
cp -R "$here/netd/base/." .
git add -A
GIT_AUTHOR_DATE="2024-01-01T12:00:00Z" GIT_COMMITTER_DATE="2024-01-01T12:00:00Z" \
	git commit -q -m "netd: command table, Linux and iOS builds, budgets"
git checkout -q -b upnp
cp -R "$here/netd/head/." .
git add -A
GIT_AUTHOR_DATE="2024-01-02T12:00:00Z" GIT_COMMITTER_DATE="2024-01-02T12:00:00Z" \
	git commit -q -m "Add UPnP port mapping (IGD WANIPConnection:2)"
