#!/bin/bash
# Routed TUN with the agent as management client (issue 3), real OpenVPN 2.6:
#  - two certificate-only clients (laptop-a, laptop-b) get the address the agent pushed from
#    routed.pool; the tun address matches `ovpn-agent clients --json`
#  - the address sticks across a client reconnect and across an agent restart (SIGTERM + start)
#  - a denied common name (revoked-c) is refused: client-deny reason in the server log, AUTH_FAILED
#    at the client
#  - OpenVPN killed and restarted: the agent reconnects on its own and serves the next client
#  - REAUTH (server reneg-sec 10) answered all along, addresses unchanged
#  - OpenVPN SIGHUP: the agent's client table is rebuilt (clients --json, instances connected)
#  - the agent log has no ERROR line and never the management password
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openvpn-lib.sh"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"
[ -f "$IT_ROOT/target/ovpn-agent.jar" ] || fail "agent jar missing: run make build first"

PW=secret-$RANDOM$RANDOM
ovpn_keys server laptop-a laptop-b revoked-c
ovpn_server_ns
ovpn_client_ns laptop-a 1
ovpn_client_ns laptop-b 2
ovpn_client_ns revoked-c 3
# reneg-sec 10: every client renegotiates several times during the run, each a >CLIENT:REAUTH
OVPN_MGMT_PW=1 ovpn_routed_server_conf "reneg-sec 10"
echo "$PW" > "$W/mgmt.pw"
for c in laptop-a laptop-b revoked-c; do ovpn_tun_client_conf "$c"; done

CONF=$W/agent.json
cat > "$CONF" <<EOF
{
  "stateDir": "$W/state",
  "openvpn": {"configs": [
    {"config": "$W/server.conf", "name": "laptops",
     "routed": {"pool": "198.19.128.0/24", "releaseGrace": "1h"},
     "push": ["push \"dhcp-option DNS 198.19.128.1\""],
     "auth": {"allow": [], "deny": ["revoked-*"], "denyReason": "certificate revoked"}}
  ]},
  "dhcp": {"enabled": false},
  "control": {"socket": "$W/control.sock"},
  "metrics": {"listen": ""},
  "log": {"level": "${AGENT_LOG_LEVEL:-info}"}
}
EOF
ALOG=$W/agent.log
: > "$ALOG"
start_agent() {
  agent_start "$OVPN_SRV" "$CONF" "$W/agent-run.log"
  wait_for 30 instance_connected || fail "agent did not connect to the management socket: $(tail -n 30 "$W/agent-run.log")"
}
stop_agent() { agent_stop; cat "$W/agent-run.log" >> "$ALOG"; }
instances_json() { agent_cli "$CONF" instances --json; }
instance_connected() {
  instances_json | jq -e '.arguments.instances[] | select(.name=="laptops") | .connection=="connected"' | grep -qx true
}
# agent_addr CN: the address clients --json shows for CN (empty if CN is not listed)
agent_addr() {
  agent_cli "$CONF" clients --json | jq -r --arg cn "$1" \
    '[.arguments.clients[] | select(.instance=="laptops" and .common_name==$cn) | .address][0] // empty'
}
instance_disconnected() { ! instance_connected; }
cn_listed_with() { [ "$(agent_addr "$1")" = "$2" ]; }
tun_addr() { ovpn_tun_addr "${OVPN_RNS[$1]}"; }
has_tun_addr() { [ "$(tun_addr "$1")" = "$2" ]; }
in_routed_pool() {
  case "$1" in 198.19.128.*) local o=${1##*.}; [ "$o" -ge 2 ] && [ "$o" -le 254 ] ;; *) return 1 ;; esac
}
# check_client CN: the client's tun address is in the pool and equals the agent's; prints it
check_client() {
  local ip
  ip=$(tun_addr "$1")
  in_routed_pool "$ip" || fail "$1: tun0 address '$ip' not in 198.19.128.0/24 ($(ip -n "${OVPN_RNS[$1]}" -o addr))"
  wait_for 10 cn_listed_with "$1" "$ip" \
    || fail "$1: clients --json shows '$(agent_addr "$1")', tun0 has $ip: $(agent_cli "$CONF" clients --json)"
  echo "$ip"
}
restart_client() {
  local n; n=$(ovpn_inits "$1")
  ovpn_stop "$1"
  ovpn_start_router "$1"
  ovpn_wait_inits "$1" $((n + 1)) 40
}

ovpn_start_server
start_agent
ok "agent connected to the management socket (password from a file)"

# 1. two clients get the agent's addresses
ovpn_start_router laptop-a
ovpn_start_router laptop-b
ovpn_wait_inits laptop-a 1 30
ovpn_wait_inits laptop-b 1 30
A=$(check_client laptop-a)
B=$(check_client laptop-b)
[ "$A" != "$B" ] || fail "laptop-a and laptop-b both got $A"
grep -q "PUSH_REPLY.*dhcp-option DNS 198.19.128.1" "$W/openvpn-laptop-a.log" \
  || fail "configured push line not in laptop-a's PUSH_REPLY: $(grep PUSH_REPLY "$W/openvpn-laptop-a.log")"
ip netns exec "${OVPN_RNS[laptop-a]}" busybox ping -c 1 -W 3 198.19.128.1 > /dev/null \
  || fail "laptop-a cannot ping the server's tun address through the tunnel"
ok "laptop-a=$A laptop-b=$B (tun0 matches clients --json, push line delivered, tunnel passes traffic)"

# 2. client reconnect keeps the address
restart_client laptop-a
wait_for 10 has_tun_addr laptop-a "$A" || fail "laptop-a got $(tun_addr laptop-a) after reconnect, expected $A"
check_client laptop-a > /dev/null
ok "laptop-a kept $A across a client reconnect"

# 3. agent restart keeps the addresses
stop_agent
start_agent
restart_client laptop-b
wait_for 10 has_tun_addr laptop-b "$B" || fail "laptop-b got $(tun_addr laptop-b) after agent restart, expected $B"
check_client laptop-b > /dev/null
wait_for 10 cn_listed_with laptop-a "$A" || fail "restarted agent does not list laptop-a with $A (status 3 resync): $(agent_cli "$CONF" clients --json)"
restart_client laptop-a
wait_for 10 has_tun_addr laptop-a "$A" || fail "laptop-a got $(tun_addr laptop-a) after agent restart, expected $A"
ok "addresses kept across an agent restart (laptop-a=$A laptop-b=$B)"

# 4. denied common name
ovpn_start_router revoked-c
wait_for 30 grep -q 'AUTH_FAILED,certificate revoked' "$W/openvpn-revoked-c.log" \
  || fail "revoked-c got no AUTH_FAILED: $(tail -n 20 "$W/openvpn-revoked-c.log")"
grep -q "client-deny .*certificate revoked" "$W/openvpn-server.log" \
  && grep -q "connection rejected: .*revoked-c.*certificate revoked" "$W/openvpn-server.log" \
  || fail "deny reason not in the server log: $(grep -i -e deny -e revoked-c "$W/openvpn-server.log" | tail -n 10)"
[ "$(ovpn_inits revoked-c)" = 0 ] || fail "revoked-c completed initialization"
[ -z "$(tun_addr revoked-c)" ] || fail "revoked-c has a tun address"
[ -z "$(agent_addr revoked-c)" ] || fail "revoked-c is listed by the agent"
ovpn_stop revoked-c
ok "revoked-c refused: AUTH_FAILED,certificate revoked at the client, client-deny + reason in the server log"

# 5. kill OpenVPN and restart it: the agent reconnects by itself and serves the next client.
# laptop-a stays away until laptop-b is back: a fresh OpenVPN's own pool would now hand laptop-b
# the first address ($A), so getting $B again proves the address is the agent's sticky one.
ovpn_stop server
wait_for 20 instance_disconnected || fail "agent still reports the instance connected after OpenVPN exited"
ovpn_stop laptop-a
nb=$(ovpn_inits laptop-b)
ovpn_start_server
wait_for 40 instance_connected || fail "agent did not reconnect after OpenVPN restart: $(tail -n 30 "$W/agent-run.log")"
ovpn_wait_inits laptop-b $((nb + 1)) 60
wait_for 10 has_tun_addr laptop-b "$B" || fail "laptop-b got $(tun_addr laptop-b) after OpenVPN restart, expected $B"
check_client laptop-b > /dev/null
na=$(ovpn_inits laptop-a)
ovpn_start_router laptop-a
ovpn_wait_inits laptop-a $((na + 1)) 30
wait_for 10 has_tun_addr laptop-a "$A" || fail "laptop-a got $(tun_addr laptop-a) after OpenVPN restart, expected $A"
check_client laptop-a > /dev/null
ok "after kill + restart of OpenVPN the agent reconnected by itself and served laptop-b=$B (first back), laptop-a=$A"

# 6. SIGHUP: client IDs restart, the agent's table is rebuilt
na=$(ovpn_inits laptop-a); nb=$(ovpn_inits laptop-b)
e0=$(agent_cli "$CONF" clients --json | jq '[.arguments.clients[].epoch] | max')
ovpn_signal_server HUP
ovpn_wait_inits laptop-a $((na + 1)) 60
ovpn_wait_inits laptop-b $((nb + 1)) 60
wait_for 10 has_tun_addr laptop-a "$A" || fail "laptop-a got $(tun_addr laptop-a) after SIGHUP, expected $A"
wait_for 10 has_tun_addr laptop-b "$B" || fail "laptop-b got $(tun_addr laptop-b) after SIGHUP, expected $B"
check_client laptop-a > /dev/null
check_client laptop-b > /dev/null
n=$(agent_cli "$CONF" clients --json | jq '[.arguments.clients[] | select(.instance=="laptops")] | length')
e1=$(agent_cli "$CONF" clients --json | jq '[.arguments.clients[].epoch] | min')
[ "$e1" -gt "$e0" ] || fail "client table not rebuilt after SIGHUP: epoch $e1, before $e0"
[ "$n" = 2 ] || fail "agent lists $n clients after SIGHUP, expected 2: $(agent_cli "$CONF" clients --json)"
instance_connected || fail "instance not connected after SIGHUP: $(instances_json)"
ok "after SIGHUP the client table holds laptop-a=$A laptop-b=$B, instance connected"

# the sessions now live past reneg-sec 10: wait for a renegotiation's REAUTH to be answered
wait_for 30 grep -q 'reauth=true decision=allow outcome=SENT' "$W/agent-run.log" "$ALOG" \
  || fail "no REAUTH answered (reneg-sec 10)"
stop_agent
if grep 'reauth=true' "$ALOG" | grep -v 'decision=allow' | head -n 3 | grep .; then fail "a REAUTH was not allowed"; fi
ok "REAUTHs (reneg-sec 10) answered: $(grep -c 'reauth=true decision=allow outcome=SENT' "$ALOG")"
if grep -n '\[ERROR\]' "$ALOG" | head -n 5 | grep .; then fail "agent log has ERROR lines"; fi
if grep -q -e "$PW" "$ALOG"; then fail "agent log contains the management password"; fi
ok "agent log: no ERROR lines, no management password"
echo "PASS t_openvpn_routed"
