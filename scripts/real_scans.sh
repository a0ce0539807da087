#!/usr/bin/env bash
# Real scanned pages for the tests and benchmarks, drawn by nobody here: a few of OCRmyPDF's public
# test scans, taken from its source distribution on PyPI (the package registry, not a copy kept in
# this repository). tests/resources/REAL_SCANS.md names each page and its licence.
# Usage: scripts/real_scans.sh   (a second run does nothing)
set -euo pipefail
cd "$(dirname "$0")/.."

version=17.13.0
dest=.cache/real-scans
pages="c03-29.pdf linn.png cardinal.pdf skew.pdf typewriter.png epson.pdf"
missing=0
for page in $pages; do [ -f "$dest/$page" ] || missing=1; done
[ -f "$dest/.complete-$version" ] && [ "$missing" = 0 ] && exit 0

say() { printf 'setup: %s\n' "$*" >&2; }
say "fetching real scanned pages (OCRmyPDF $version's test resources) into $dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip download -q --no-deps --no-binary :all: "ocrmypdf==$version" -d "$work" >/dev/null
tar -xzf "$work/ocrmypdf-$version.tar.gz" -C "$work"
mkdir -p "$dest"
for page in $pages; do
    cp "$work/ocrmypdf-$version/tests/resources/$page" "$dest/"
done
cp "$work/ocrmypdf-$version/REUSE.toml" "$work/ocrmypdf-$version/tests/resources/README.rst" "$dest/"
touch "$dest/.complete-$version"
