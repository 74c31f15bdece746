#!/bin/bash
# Bridged TAP (argument-less server-bridge) with the agent as management client, real OpenVPN 2.6
# (issue 3 client authorization, issue 4 "new connections need the agent"):
#  - the agent starts before OpenVPN (management-hold) and attaches, releasing the hold
#  - router-a is admitted (client-auth) and listed by `ovpn-agent clients --json`
#  - revoked-d is refused with the configured reason (client-deny in the server log, AUTH_FAILED
#    with the reason at the router)
#  - agent stopped: router-b connecting is not admitted (AUTH_FAILED after hand-window), and the
#    tunnel of router-a keeps passing traffic
#  - agent restarted: router-b, retrying on its own (auth-retry nointeract), is admitted within
#    RETRY_BOUND (6) seconds of the agent being back, also when its CONNECT was lost (the agent
#    answers clients pending in status 3)
#  - SIGHUP (management-hold): the agent releases the new hold, both routers are re-admitted
#  - the agent log has no ERROR line and never the management password
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openvpn-lib.sh"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"
[ -f "$IT_ROOT/target/ovpn-agent.jar" ] || fail "agent jar missing: run make build first"
HAND_WINDOW=10
RETRY_BOUND=${RETRY_BOUND:-6}

PW=secret-$RANDOM$RANDOM
ovpn_keys server router-a router-b revoked-d
ovpn_server_ns
ovpn_router_ns router-a 1
ovpn_router_ns router-b 2
ovpn_router_ns revoked-d 3
ip -n "${OVPN_RNS[router-a]}" addr add 198.19.0.11/24 dev br-lan
OVPN_MGMT_PW=1 ovpn_server_conf "hand-window $HAND_WINDOW
explicit-exit-notify 1
management-hold"
echo "$PW" > "$W/mgmt.pw"
for r in router-a router-b revoked-d; do ovpn_router_conf "$r"; done

CONF=$W/agent.json
cat > "$CONF" <<EOF
{
  "stateDir": "$W/state",
  "openvpn": {"configs": [
    {"config": "$W/server.conf", "name": "bridged",
     "auth": {"allow": ["router-*"], "deny": ["revoked-*"], "denyReason": "not an authorized site"}}
  ]},
  "bridge": {"name": "br0", "address": "198.19.0.1/24"},
  "dhcp": {"enabled": false},
  "control": {"socket": "$W/control.sock"},
  "metrics": {"listen": ""},
  "log": {"level": "${AGENT_LOG_LEVEL:-info}"}
}
EOF
ALOG=$W/agent.log
: > "$ALOG"
instance_connected() {
  agent_cli "$CONF" instances --json \
    | jq -e '.arguments.instances[] | select(.name=="bridged") | .connection=="connected"' | grep -qx true
}
start_agent() {
  agent_start "$OVPN_SRV" "$CONF" "$W/agent-run.log"
  wait_for 30 instance_connected || fail "agent did not connect to the management socket: $(tail -n 30 "$W/agent-run.log")"
}
stop_agent() { agent_stop; cat "$W/agent-run.log" >> "$ALOG"; }
listed() {
  agent_cli "$CONF" clients --json \
    | jq -e --arg cn "$1" '[.arguments.clients[] | select(.instance=="bridged" and .common_name==$cn)] | length >= 1' \
    | grep -qx true
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# the agent starts first (no socket yet) and must attach once OpenVPN is up; OpenVPN waits in
# management-hold until the agent releases it
agent_start "$OVPN_SRV" "$CONF" "$W/agent-run.log"
sleep 1
ovpn_start_server
wait_for 30 instance_connected || fail "agent did not connect to the management socket: $(tail -n 30 "$W/agent-run.log")"
wait_for 10 grep -q "MANAGEMENT: CMD 'hold release'" "$W/openvpn-server.log" || fail "agent did not release the hold"
ok "agent started before OpenVPN attached to its management socket and released the hold"

# 1. an allowed router is admitted
ovpn_start_router router-a
ovpn_wait_inits router-a 1 30
grep -q "MANAGEMENT: CMD 'client-auth " "$W/openvpn-server.log" || fail "no client-auth in the server log"
wait_for 10 listed router-a || fail "router-a not in clients --json: $(agent_cli "$CONF" clients --json)"
ip netns exec "${OVPN_RNS[router-a]}" busybox ping -c 1 -W 3 198.19.0.1 > /dev/null \
  || fail "router-a cannot reach 198.19.0.1 on br0 through the tunnel"
ok "router-a admitted (client-auth), listed by the agent, reaches br0 through the tunnel"

# 2. a denied router is refused with its reason
ovpn_start_router revoked-d
wait_for 30 grep -q 'AUTH_FAILED,not an authorized site' "$W/openvpn-revoked-d.log" \
  || fail "revoked-d got no AUTH_FAILED with the reason: $(tail -n 20 "$W/openvpn-revoked-d.log")"
grep -q "client-deny .*not an authorized site" "$W/openvpn-server.log" \
  || fail "client-deny with the reason not in the server log: $(grep -e revoked-d -e MANAGEMENT "$W/openvpn-server.log" | tail -n 10)"
[ "$(ovpn_inits revoked-d)" = 0 ] || fail "revoked-d completed initialization"
listed revoked-d && fail "revoked-d is listed by the agent"
ovpn_stop revoked-d
ok "revoked-d refused: AUTH_FAILED,not an authorized site; client-deny + reason in the server log"

# 3. agent stopped: a new router is not admitted; existing tunnels keep working
stop_agent
ovpn_start_router router-b
wait_for $((HAND_WINDOW + 15)) grep -q 'AUTH_FAILED' "$W/openvpn-router-b.log" \
  || fail "router-b was not refused while the agent was down: $(tail -n 20 "$W/openvpn-router-b.log")"
grep -q "SENT CONTROL \[router-b\]: 'AUTH_FAILED" "$W/openvpn-server.log" \
  || fail "server log has no AUTH_FAILED sent to router-b"
[ "$(ovpn_inits router-b)" = 0 ] || fail "router-b was admitted while the agent was down"
ip netns exec "${OVPN_RNS[router-a]}" busybox ping -c 1 -W 3 198.19.0.1 > /dev/null \
  || fail "router-a's tunnel stopped passing traffic while the agent was down"
ok "agent down: router-b refused (AUTH_FAILED at hand-window), router-a's tunnel still passes traffic"

# 4. agent back: the retrying router is admitted within a few seconds
start_agent
t0=$(now_ms)
ovpn_wait_inits router-b 1 $((RETRY_BOUND + 10))
dt=$(( $(now_ms) - t0 ))
[ "$dt" -le $((RETRY_BOUND * 1000)) ] || fail "router-b admitted only ${dt} ms after the agent was back (bound ${RETRY_BOUND}s)"
wait_for 10 listed router-b || fail "router-b not in clients --json: $(agent_cli "$CONF" clients --json)"
wait_for 10 listed router-a || fail "restarted agent lost router-a (status 3 resync): $(agent_cli "$CONF" clients --json)"
ok "agent restarted: retrying router-b admitted ${dt} ms after the agent was back; router-a still listed"

# 5. SIGHUP with management-hold: OpenVPN holds again; the agent releases it and admits both
na=$(ovpn_inits router-a); nb=$(ovpn_inits router-b)
holds=$(grep -c "MANAGEMENT: CMD 'hold release'" "$W/openvpn-server.log")
ovpn_signal_server HUP
wait_for 20 bash -c "[ \$(grep -c \"MANAGEMENT: CMD 'hold release'\" '$W/openvpn-server.log') -gt $holds ]" \
  || fail "agent did not release the hold after SIGHUP: $(tail -n 20 "$W/openvpn-server.log")"
ovpn_wait_inits router-a $((na + 1)) 60
ovpn_wait_inits router-b $((nb + 1)) 60
wait_for 10 listed router-a || fail "router-a not listed after SIGHUP"
wait_for 10 listed router-b || fail "router-b not listed after SIGHUP"
ok "SIGHUP: the agent released the hold again and both routers were re-admitted"

stop_agent
if grep -n '\[ERROR\]' "$ALOG" | head -n 5 | grep .; then fail "agent log has ERROR lines"; fi
if grep -q -e "$PW" "$ALOG"; then fail "agent log contains the management password"; fi
ok "agent log: no ERROR lines, no management password"
echo "PASS t_openvpn_bridged_auth"
