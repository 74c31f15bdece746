#!/bin/bash
# The status CLI against a running agent (bridged config, DHCP on br0 in a namespace, a real udhcpc
# client with a lease): every command in table form and with --json (checked with python3), the
# metrics endpoint scraped and parsed, and the control socket's permission model (a throwaway user
# outside the group is refused, by the file mode and by SO_PEERCRED; in the group it is served).
IT_ID=${IT_ID:-ops$(printf '%02x' $((RANDOM % 256)))}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
[ "$(id -u)" = 0 ] || fail "needs root"
P0=198.19.0.100; P1=198.19.0.199; MPORT=19469
SRV=$(ns srv)
CLI=$(ns cli)
ip -n "$SRV" link add br0 type bridge
ip -n "$SRV" addr add 198.19.0.1/24 dev br0
ip -n "$SRV" link set br0 up
veth "$SRV" p-cli "$CLI" eth0
ip -n "$SRV" link set p-cli master br0

GRP=opsit$IT_ID; USR=opsu$IT_ID
groupadd -r "$GRP"
useradd -r -M -N -g nogroup -s /usr/sbin/nologin "$USR"
cleanup_users() { userdel "$USR" 2>/dev/null; groupdel "$GRP" 2>/dev/null; true; }
trap 'rc=$?; set +e; cleanup_users; (exit $rc); it_cleanup' EXIT

chmod 755 "$W"
mkdir -p "$W/run" "$W/state"
chmod 755 "$W/run"
cat > "$W/server.conf" <<EOC
dev tap0
dev-type tap
proto udp
port 1194
server-bridge
management $W/mgmt.sock unix
management-client-auth
auth-user-pass-optional
EOC
CONF=$W/agent.json
cat > "$CONF" <<EOC
{"stateDir": "$W/state",
 "openvpn": {"configs": [{"config": "$W/server.conf", "name": "site"}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"},
 "dhcp": {"enabled": true, "pool": {"start": "$P0", "end": "$P1"}, "leaseTime": "600s",
          "routers": ["198.19.0.1"]},
 "store": {"url": "jdbc:h2:file:$W/state/leases;WRITE_DELAY=0"},
 "control": {"socket": "$W/run/control.sock", "group": "$GRP"},
 "metrics": {"listen": "127.0.0.1:$MPORT"},
 "log": {"level": "info"}}
EOC
agent_start "$SRV" "$CONF" "$W/agent.log"
_bound67() { [ -n "$(ip netns exec "$SRV" ss -Hlun 'sport = :67')" ]; }
wait_for 30 _bound67 || fail "agent did not bind port 67"
wait_for 10 test -S "$W/run/control.sock" || fail "no control socket"

udhcpc_start "$CLI" eth0 udh
wait_for 30 has_event udh '^bound [0-9]' || fail "udhcpc got no lease: $(cat "$W/udh.log")"
IP=$(addr_of "$CLI" eth0); MAC=$(mac_of "$CLI" eth0)
in_pool "$IP" $P0 $P1 || fail "address $IP not in pool"
ok "udhcpc bound $IP ($MAC)"
# the client is done: stop it so it does not renew behind our back
kill "$UDHCPC_PID"; wait "$UDHCPC_PID" 2>/dev/null || true

cli() { "$AGENT" "$@" --config "$CONF"; }
# jcheck NAME PYTHON_EXPR: the JSON in $W/NAME.json satisfies the expression over `d`
jcheck() {
  python3 - "$W/$1.json" "$2" <<'PY' || fail "$1 --json: check failed: $2 (json: $(head -c 1500 "$W/$1.json"))"
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
PY
}
run_both() { # NAME ARGS... : table and --json, both must exit 0
  local name=$1; shift
  cli "$@" > "$W/$name.txt" 2> "$W/$name.err" || fail "ovpn-agent $* failed (rc=$?): $(cat "$W/$name.txt" "$W/$name.err")"
  [ -s "$W/$name.txt" ] || fail "ovpn-agent $* printed nothing"
  cli "$@" --json > "$W/$name.json" 2> "$W/$name.err" || fail "ovpn-agent $* --json failed: $(cat "$W/$name.err")"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/$name.json" || fail "$* --json is not JSON"
}

run_both status status
jcheck status 'd["result"] == 0 and d["arguments"]["pid"] > 0 and d["arguments"]["dhcp"]["bound"] is True and d["arguments"]["dhcp"]["interface"] == "br0"'
jcheck status 'any(i["name"] == "site" and i["mode"] == "bridged-tap" for i in d["arguments"]["instances"])'
grep -q br0 "$W/status.txt" || fail "status table does not mention br0: $(cat "$W/status.txt")"
ok "status (table + json)"

run_both instances instances
jcheck instances '[i["name"] for i in d["arguments"]["instances"]] == ["site"] and d["arguments"]["instances"][0]["device"] == "tap0"'
grep -q site "$W/instances.txt" || fail "instances table: $(cat "$W/instances.txt")"
ok "instances"

run_both clients clients
jcheck clients 'd["arguments"]["clients"] == []'
ok "clients (none: OpenVPN is not running in this scenario)"

if printf '{"command":"list-commands"}\n' | socat -t 5 - "UNIX-CONNECT:$W/run/control.sock" | grep -q '"routers-get"'; then
  run_both routers routers
  jcheck routers 'isinstance(d["arguments"]["routers"], list)'
  ok "routers"
else
  # routers-get is registered by the sites module; without it the CLI must say so and exit 1
  set +e; cli routers > "$W/routers.txt" 2>&1; rc=$?; set -e
  [ $rc = 1 ] && grep -qi "not supported" "$W/routers.txt" || fail "routers without routers-get: rc=$rc $(cat "$W/routers.txt")"
  ok "routers: this build has no routers-get (sites module); the CLI reports it and exits 1"
fi

run_both leases leases
jcheck leases "any(l['mac'] == '$MAC' and l['ip'] == '$IP' and l['state'] == 'bound' for l in d['arguments']['leases'])"
grep -q "$IP" "$W/leases.txt" && grep -qi "$MAC" "$W/leases.txt" || fail "leases table lacks $IP $MAC: $(cat "$W/leases.txt")"
ok "leases lists $MAC -> $IP"

run_both leasemac leases --mac "$MAC"
jcheck leasemac "[(l['mac'], l['ip']) for l in d['arguments']['leases']] == [('$MAC', '$IP')]"
cli leases --mac 02:00:00:00:00:01 --json > "$W/leasenone.json" || fail "leases --mac (unknown) failed"
jcheck leasenone 'd["result"] == 3 and d["arguments"]["leases"] == []'
ok "leases --mac"

run_both quarantine quarantine
jcheck quarantine 'd["arguments"]["quarantine"] == []'
ok "quarantine"

run_both reclaim reclaim
jcheck reclaim 'd["result"] == 0 and "reclaimed" in d["arguments"]'
ok "reclaim"

cli release "$MAC" > "$W/release.txt" 2>&1 || fail "release $MAC failed: $(cat "$W/release.txt")"
cli leases --mac "$MAC" --json > "$W/released.json" || fail "leases --mac after release"
jcheck released "[l['state'] for l in d['arguments']['leases']] == ['released']"
cli release "$MAC" --json > "$W/release2.json" || fail "second release failed"
jcheck release2 'd["result"] == 3 and d["arguments"]["released"] == []'
grep -q "$IP" "$W/release.txt" || grep -qi released "$W/release.txt" || fail "release table: $(cat "$W/release.txt")"
ok "release $MAC: the lease is released (a second release finds nothing)"

# --- metrics ---------------------------------------------------------------------------------
ip netns exec "$SRV" curl -fsS --max-time 5 "http://127.0.0.1:$MPORT/metrics" > "$W/metrics.txt" || fail "metrics scrape failed"
python3 - "$W/metrics.txt" <<'PY' || fail "metrics check failed: $(grep dhcp4 "$W/metrics.txt" | head -40)"
import re, sys
vals = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) ([-+0-9.eE]+|NaN|[+-]Inf)$', line)
    assert m, "unparseable line: " + line
    vals[m.group(1)] = float(m.group(3))
d = {k: v for k, v in vals.items() if k.startswith("ovpn_agent_dhcp4_")}
assert d, "no ovpn_agent_dhcp4_ series"
g = lambda k: vals.get(k, 0)
disc, req = g("ovpn_agent_dhcp4_received_discover_total"), g("ovpn_agent_dhcp4_received_request_total")
off, ack = g("ovpn_agent_dhcp4_sent_offer_total"), g("ovpn_agent_dhcp4_sent_ack_total")
rel = g("ovpn_agent_dhcp4_received_release_total")
print("discover", disc, "request", req, "offer", off, "ack", ack, "release", rel)
assert disc >= 1 and req >= 1 and off >= 1 and ack >= 1, "exchange not counted"
assert off <= disc and ack <= req, "more answers than questions"
assert g("ovpn_agent_dhcp4_received_total_total") >= disc + req or g("ovpn_agent_dhcp4_received_total") >= disc + req, "received total below its parts"
PY
ok "metrics endpoint: dhcp4 counters consistent with the exchange"

# --- socket permissions --------------------------------------------------------------------------
[ "$(stat -c '%a %G' "$W/run/control.sock")" = "660 $GRP" ] || fail "control socket mode/group: $(stat -c '%a %G' "$W/run/control.sock")"
REQ='{"command":"status-get"}'
out=$(printf '%s\n' "$REQ" | runuser -u "$USR" -- socat -t 5 - "UNIX-CONNECT:$W/run/control.sock" 2>&1) && fail "non-group user could connect: $out"
echo "$out" | grep -qi "permission denied" || fail "expected EACCES for $USR, got: $out"
ok "user $USR outside $GRP: connect refused by the socket mode"
# a too-loose file mode must not open the door: the agent checks SO_PEERCRED itself
chmod 666 "$W/run/control.sock"
out=$(printf '%s\n' "$REQ" | runuser -u "$USR" -- socat -t 5 - "UNIX-CONNECT:$W/run/control.sock" 2>&1) || true
echo "$out" | grep -q '"result":1' && echo "$out" | grep -q "permission denied: user $USR" || fail "agent did not refuse $USR by SO_PEERCRED: $out"
grep -q "event=control_peer_refused.*user=$USR" "$W/agent.log" || fail "refusal not logged"
chmod 660 "$W/run/control.sock"
ok "socket mode opened to 0666: the agent still refuses $USR (SO_PEERCRED)"
usermod -a -G "$GRP" "$USR"
out=$(printf '%s\n' "$REQ" | runuser -u "$USR" -- socat -t 5 - "UNIX-CONNECT:$W/run/control.sock" 2>&1) || fail "group member could not connect: $out"
echo "$out" | grep -q '"result":0' || fail "group member not served: $out"
ok "after joining $GRP, $USR is served"
echo "PASS t_ops_cli"
