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
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci" >&2
  log=$(mktemp)
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    cat "$log" >&2
    if grep -q 'code EUSAGE' "$log"; then
      # Some npm 11 releases reject their own lockfile when it omits other platforms' optional native
      # packages (npm/cli#9846); npm install still installs exactly the locked versions.
      echo "setup: npm ci refused the lockfile (npm optional-platform bug); using npm install" >&2
      npm install --no-audit --no-fund >&2
    else
      exit 1
    fi
  fi
  rm -f "$log"
fi
echo "setup: ok ($(tesseract --version 2>&1 | head -1), node $(node --version))" >&2
