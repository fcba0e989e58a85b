#!/usr/bin/env bash
# Installs what VLMHyperBench needs on a fresh Debian/Ubuntu machine: Tesseract with Russian and English
# models (the embedded OCR baseline) and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
langs=$(tesseract --list-langs 2>/dev/null || true)
grep -qx rus <<<"$langs" || need+=(tesseract-ocr-rus)
grep -qx eng <<<"$langs" || need+=(tesseract-ocr-eng)
# Headless Chromium for the report and viewer tests (driven by playwright-core, no browser download).
[[ -x /usr/bin/chromium ]] || need+=(chromium)
# pdftoppm/pdfinfo render PDF pages for `vlmhb dataset import --from pdf`.
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

lock_before=$(cksum <package-lock.json)
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  # `npm ci` only: it installs exactly the lockfile and never writes it, so a fresh clone stays clean
  # (`git status`). A lockfile npm ci rejects is a bug to fix in the repository, not to paper over here
  # with `npm install`, which rewrites package-lock.json.
  echo "setup: npm ci" >&2
  log=$(mktemp)
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup: npm ci failed (see above); package-lock.json is left as committed" >&2
    exit 1
  fi
  rm -f "$log"
fi
if [[ $(cksum <package-lock.json) != "$lock_before" ]]; then
  echo "setup: package-lock.json changed during setup; this is a bug, please report it" >&2
  exit 1
fi
echo "setup: ok ($(tesseract --version 2>&1 | head -1), node $(node --version))" >&2
