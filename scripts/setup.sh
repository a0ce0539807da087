#!/usr/bin/env bash
# Installs what casescan needs on a Debian/Ubuntu machine, skipping what is already there.
# Usage: scripts/setup.sh demo|test|bench
# A second run installs nothing: each step checks first.
set -euo pipefail

purpose="${1:-demo}"
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        say "need to install system packages ($*) but am not root and sudo is missing."
        say "ask an administrator to run: apt-get install -y ${missing[*]}"
        exit 1
    fi
}

missing=()
need() { missing+=("$1"); }

command -v tesseract >/dev/null 2>&1 || need tesseract-ocr
[ -d /usr/share/tesseract-ocr ] && ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || need tesseract-ocr-eng
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] \
    || need fonts-dejavu-core
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || need fonts-liberation
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || need python3
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need python3-venv
if [ "$purpose" = bench ]; then
    command -v pdftoppm >/dev/null 2>&1 || need poppler-utils
fi
if [ "$purpose" = test ]; then
    command -v chromium >/dev/null 2>&1 || need chromium
    command -v npm >/dev/null 2>&1 || need npm
    # The store's tests run on SQLite and on a real PostgreSQL server started by the test session.
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need postgresql
fi

if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing ${missing[*]} and this is not a Debian/Ubuntu machine: install them with your package manager."
        exit 1
    fi
    say "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    say "casescan needs Python 3.11 or newer; this machine's python3 is $(python3 --version)."
    exit 1
}

stamp=.venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
    say "creating .venv with casescan and its Python dependencies"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e '.[fast,test,bench,postgres]'
    rm -f .venv/.installed-*
    touch "$stamp"
fi

if [ "$purpose" = test ] && [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ]; then
    say "installing axe-core (accessibility checks) into .cache/npm"
    npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null
fi

if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
    scripts/real_scans.sh
fi
