#!/bin/bash
# The demo lab (integration-tests/demo.sh, `make demo`) once, non-interactively (DEMO_HOLD=0): it
# exits 0, prints the agent's status, instances, clients and the leases of both devices behind the
# routers and the laptop's pushed address, and leaves no namespace, process or work dir behind.
IT_ID=${IT_ID:-ops$(printf '%02x' $((RANDOM % 256)))}
. "$(dirname "$0")/lib.sh"
DEMO_ID=${IT_ID}d
OUT=$W/demo.out
set +e
DEMO_HOLD=0 IT_ID=$DEMO_ID timeout 170 "$IT_ROOT/integration-tests/demo.sh" < /dev/null > "$OUT" 2>&1
rc=$?
set -e
[ $rc = 0 ] || fail "demo exited $rc: $(grep -v '^20..-..-.. ' "$OUT" | tail -n 40)"
for s in "=== ovpn-agent status" "=== ovpn-agent instances" "=== ovpn-agent clients" "=== ovpn-agent leases" "=== tearing the lab down"; do
  grep -qF -- "$s" "$OUT" || fail "demo output lacks '$s'"
done
python3 - "$OUT" <<'PY' || fail "demo output check failed: $(sed -n '/=== ovpn-agent clients/,$p' "$OUT")"
import re, sys
text = open(sys.argv[1]).read()
leases = text.split("=== ovpn-agent leases", 1)[1].split("===", 1)[0]
rows = [l.split() for l in leases.splitlines() if re.match(r"^198\.19\.0\.\d+\s", l)]
assert len(rows) == 2 and all(r[3] == "bound" for r in rows), rows
# the leases belong to the two devices the demo reported as bound
for dev in ("dev-a", "dev-b"):
    m = re.search(dev + r" \(([0-9a-f:]{17})\) bound (198\.19\.0\.\d+)", text)
    assert m, dev
    assert [m.group(2), m.group(1)] in [r[:2] for r in rows], (dev, m.groups(), rows)
clients = text.split("=== ovpn-agent clients", 1)[1].split("===", 1)[0]
assert re.search(r"^laptops\s+laptop\s+\d+\s+\d+\s+198\.18\.3\.2\s+198\.19\.128\.\d+", clients, re.M), clients
for r in ("router-a", "router-b"):
    assert re.search(r"^site\s+" + r + r"\s", clients, re.M), (r, clients)
inst = text.split("=== ovpn-agent instances", 1)[1].split("===", 1)[0]
assert re.search(r"^site\s+bridged-tap\s+tap0\s.*connected", inst, re.M), inst
assert re.search(r"^laptops\s+routed-tun\s+tun1\s.*connected", inst, re.M), inst
PY
ok "demo printed status, instances, clients (2 routers + laptop) and the 2 leases"
DW=$(sed -n 's/.*work dir \(\/tmp\/ovpn-it\.[A-Za-z0-9]*\)).*/\1/p' "$OUT" | head -n1)
[ -n "$DW" ] || fail "demo did not print its work dir"
left=$(ip netns list | awk '{print $1}' | grep "^it$DEMO_ID-" || true)
[ -z "$left" ] || fail "namespaces left behind: $left"
[ ! -e "$DW" ] || fail "work dir $DW left behind"
procs=$(ps -eo pid=,args= | grep -F "$DW" | grep -v grep || true)
[ -z "$procs" ] || fail "processes left behind: $procs"
ok "no namespace, process or work dir left"

# Ctrl-C while the lab is coming up tears it down as well
DEMO_ID2=${IT_ID}i
OUT2=$W/demo-int.out
# Ctrl-C on a terminal sends SIGINT to the whole foreground process group: run the demo in its own
# group (a background job starts with SIGINT ignored, so restore it) and signal the group
DEMO_HOLD=0 IT_ID=$DEMO_ID2 python3 -c 'import os, signal, sys; os.setsid(); signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
  "$IT_ROOT/integration-tests/demo.sh" < /dev/null > "$OUT2" 2>&1 &
DPID=$!
wait_for 60 grep -q '=== connecting router-a' "$OUT2" || { kill -INT -- "-$DPID"; fail "demo did not get to the routers: $(tail -n 20 "$OUT2")"; }
kill -INT -- "-$DPID"
set +e; wait "$DPID"; rc=$?; set -e
[ $rc = 130 ] || fail "demo interrupted: exit $rc (expected 130)"
grep -q '=== tearing the lab down' "$OUT2" || fail "no teardown after Ctrl-C"
DW2=$(sed -n 's/.*work dir \(\/tmp\/ovpn-it\.[A-Za-z0-9]*\)).*/\1/p' "$OUT2" | head -n1)
left=$(ip netns list | awk '{print $1}' | grep "^it$DEMO_ID2-" || true)
[ -z "$left" ] || fail "namespaces left after Ctrl-C: $left"
[ -n "$DW2" ] && [ ! -e "$DW2" ] || fail "work dir $DW2 left after Ctrl-C"
procs=$(ps -eo pid=,args= | grep -F "$DW2" | grep -v grep || true)
[ -z "$procs" ] || fail "processes left after Ctrl-C: $procs"
ok "SIGINT during bring-up: exit 130, lab torn down"
echo "PASS t_ops_demo"
