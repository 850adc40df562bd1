#!/usr/bin/env bash
# Builds an offline copy of the Go vulnerability database for
# `govulncheck -db file://DIR` (make vulncheck), from the module
# golang.org/x/vulndb at a pinned version: the machines we build on reach the
# Go module proxy but not vuln.go.dev.
#
#   scripts/vulndb.sh VERSION DIR
#
# The module's data/osv holds one OSV file per report; its cmd/indexdb writes
# the v1 layout govulncheck reads (index/modules.json, index/vulns.json, ID/).
# DIR is a cache outside the repository: this does nothing when DIR is already
# built for VERSION, and swaps DIR in whole so an interrupted run leaves none.
set -euo pipefail
shopt -s inherit_errexit

version=${1:?usage: scripts/vulndb.sh VERSION DIR}
out=${2:?usage: scripts/vulndb.sh VERSION DIR}
if [ -f "$out/index/modules.json" ]; then exit 0; fi

# Work next to DIR (one rename at the end) and outside our module, so go.mod
# and go.sum stay untouched.
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# The module zip is checked against go.sum's checksum database like any other.
go mod download -json "golang.org/x/vulndb@$version" >download.json
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$2"; }
src=$(field Dir download.json)
modified=$(field Time "$(field Info download.json)")
[ -n "$modified" ] || { echo "no time in golang.org/x/vulndb@$version's .info" >&2; exit 1; }
[ -d "$src/data/osv" ] || { echo "golang.org/x/vulndb@$version has no data/osv" >&2; exit 1; }

# indexdb comes from the same pinned version as the data it indexes.
GOBIN=$tmp/bin go install "golang.org/x/vulndb/cmd/indexdb@$version"
"$tmp/bin/indexdb" -vulns "$src/data/osv" -out "$tmp/db"

# indexdb leaves the database's date at zero; govulncheck prints it
# ("db_last_modified"), so give it the pinned commit's time: the reader sees
# how old the data is.
printf '{"modified":"%s"}\n' "$modified" >"$tmp/db/index/db.json"
gzip -9nf -c "$tmp/db/index/db.json" >"$tmp/db/index/db.json.gz"

rm -rf "$out"
mv "$tmp/db" "$out"
echo "vulnerability database golang.org/x/vulndb@$version (modified $modified): $(find "$out/ID" -name '*.json' | wc -l) entries in $out"
