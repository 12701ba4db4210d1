#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need (Node.js, Debian's chromium, packages), then
# runs the whole suite and closes with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

if command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q && echo "docker-compose.yml is valid"
fi

log=$(mktemp)
status=0
dotnet test AWorld.Console.sln 2>&1 | tee "$log" || status=$?

awk '/(Passed|Failed)!  - Failed:/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
