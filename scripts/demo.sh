#!/usr/bin/env bash
# The main job end to end on the embedded default: generate a small mixed synthetic dataset, benchmark
# the Tesseract baseline on it, print the summary, write the offline HTML report. Output folder: $1
# (default ./demo).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-demo}
node bin/vlmhb.js dataset generate --doc snils,inn,passport,invoice --count 3 --seed 42 \
  --augment clean,blur:1 --out "$out/dataset"
node bin/vlmhb.js run --dataset "$out/dataset" --framework tesseract --out "$out/run"
node bin/vlmhb.js report "$out/run" --out "$out/report.html"
echo "demo: answers, metrics and summary are in $out/run; the report is $out/report.html" >&2
