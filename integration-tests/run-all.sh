#!/bin/bash
# Runs every end-to-end scenario (integration-tests/t_*.sh) and prints one line per scenario and
# a closing "N passed, N failed". Scenarios need root (network namespaces); CI runs as root.
# Usage: run-all.sh [PATTERN]  (only scenarios whose name contains PATTERN). DHCP_SERVER=agent|kea
# selects the DHCP server under test (see dhcp-lib.sh).
set -u
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "integration-tests: must run as root (network namespaces)" >&2
  exit 1
fi
pass=0; fail=0; failed=""
mkdir -p target/it-logs
for t in integration-tests/t_*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  case "$name" in *"${1:-}"*) ;; *) continue ;; esac
  start=$(date +%s)
  if timeout 900 bash "$t" > "target/it-logs/$name.log" 2>&1; then
    pass=$((pass+1)); echo "PASS $name ($(( $(date +%s) - start ))s)"
  else
    fail=$((fail+1)); failed="$failed $name"; echo "FAIL $name ($(( $(date +%s) - start ))s)"
    echo "----- last lines of target/it-logs/$name.log -----"; tail -n 60 "target/it-logs/$name.log"; echo "-----"
  fi
done
echo "integration: $pass passed, $fail failed"
[ "$fail" = 0 ]
