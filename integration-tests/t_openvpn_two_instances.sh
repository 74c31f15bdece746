#!/bin/bash
# One agent serving two real OpenVPN 2.6 instances on one host (issue 3 "one agent process serves
# every instance"): a bridged TAP server (port 1194, its own management socket) and a routed TUN
# server (port 1195, another management socket, password file). Each has its own auth policy;
# the routed laptop gets an address pushed from the routed pool, the bridged router gets none,
# and `ovpn-agent instances/clients --json` show both instances connected with their clients.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openvpn-lib.sh"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"
[ -f "$IT_ROOT/target/ovpn-agent.jar" ] || fail "agent jar missing: run make build first"

ovpn_keys server router-a laptop-a
ovpn_server_ns
ovpn_router_ns router-a 1
ovpn_client_ns laptop-a 2
# routed instance: the lib's helper, files renamed, port 1195, password file
OVPN_MGMT_PW=1 ovpn_routed_server_conf
echo "pw-$RANDOM$RANDOM" > "$W/mgmt.pw"
mv "$W/server.conf" "$W/routed.conf"
sed -i -e "s|^port 1194|port 1195|" -e "s|$OVPN_MGMT|$W/mgmt-routed.sock|" \
  -e "s|$W/server.pid|$W/routed.pid|" -e "s|$W/openvpn-server.log|$W/openvpn-routed.log|" "$W/routed.conf"
# bridged instance: the lib's defaults ($W/server.conf, $OVPN_MGMT, no password)
ovpn_server_conf "hand-window 10"
ovpn_router_conf router-a
ovpn_tun_client_conf laptop-a
sed -i "s|^remote 198.18.2.1 1194|remote 198.18.2.1 1195|" "$W/laptop-a.conf"
grep -q "port 1195" "$W/routed.conf" && grep -q "mgmt-routed.sock unix $W/mgmt.pw" "$W/routed.conf" \
  || fail "routed.conf not rewritten: $(cat "$W/routed.conf")"

CONF=$W/agent.json
cat > "$CONF" <<EOF
{
  "stateDir": "$W/state",
  "openvpn": {"configs": [
    {"config": "$W/server.conf", "name": "sites",
     "auth": {"allow": ["router-*"], "deny": [], "denyReason": "not a site"}},
    {"config": "$W/routed.conf", "name": "laptops",
     "routed": {"pool": "198.19.128.0/24", "releaseGrace": "1h"},
     "auth": {"allow": ["laptop-*"], "deny": [], "denyReason": "not a laptop"}}
  ]},
  "bridge": {"name": "br0", "address": "198.19.0.1/24"},
  "dhcp": {"enabled": false},
  "control": {"socket": "$W/control.sock"},
  "metrics": {"listen": ""},
  "log": {"level": "info"}
}
EOF
connected() {
  agent_cli "$CONF" instances --json | jq -e --arg n "$1" \
    '.arguments.instances[] | select(.name==$n) | .connection=="connected"' | grep -qx true
}
client_field() {
  agent_cli "$CONF" clients --json | jq -r --arg i "$1" --arg cn "$2" --arg f "$3" \
    '[.arguments.clients[] | select(.instance==$i and .common_name==$cn) | .[$f]][0] // empty'
}
listed_in() { [ -n "$(client_field "$1" "$2" common_name)" ]; }

ovpn_start_server
ip netns exec "$OVPN_SRV" openvpn --cd "$W" --config "$W/routed.conf" --daemon || fail "routed openvpn failed to start"
wait_for 10 test -S "$W/mgmt-routed.sock" || fail "routed management socket missing: $(tail -n 20 "$W/openvpn-routed.log")"
IT_PIDS+=("$(cat "$W/routed.pid")")
agent_start "$OVPN_SRV" "$CONF" "$W/agent.log"
wait_for 30 connected sites || fail "agent not connected to the bridged instance: $(tail -n 30 "$W/agent.log")"
wait_for 10 connected laptops || fail "agent not connected to the routed instance: $(tail -n 30 "$W/agent.log")"
modes=$(agent_cli "$CONF" instances --json | jq -r '[.arguments.instances[] | .name + "=" + .mode] | sort | join(" ")')
[ "$modes" = "laptops=routed-tun sites=bridged-tap" ] || fail "instance modes: $modes"
ok "one agent attached to both instances ($modes)"

ovpn_start_router router-a
ovpn_start_router laptop-a
ovpn_wait_inits router-a 1 30
ovpn_wait_inits laptop-a 1 30
ip=$(ovpn_tun_addr "${OVPN_RNS[laptop-a]}")
case "$ip" in 198.19.128.*) ;; *) fail "laptop-a tun0 address '$ip' not from the routed pool" ;; esac
wait_for 10 listed_in laptops laptop-a || fail "laptop-a not listed under laptops"
[ "$(client_field laptops laptop-a address)" = "$ip" ] || fail "clients --json address $(client_field laptops laptop-a address) != tun0 $ip"
wait_for 10 listed_in sites router-a || fail "router-a not listed under sites"
[ -z "$(client_field sites router-a address)" ] || fail "bridged router-a has an agent address"
grep PUSH_REPLY "$W/openvpn-router-a.log" | grep -q 'ifconfig ' && fail "bridged router-a was pushed an ifconfig"
listed_in laptops router-a && fail "router-a listed under the routed instance"
listed_in sites laptop-a && fail "laptop-a listed under the bridged instance"
ok "laptop-a got $ip on the routed instance; router-a admitted on the bridged one without an address"

if grep -n '\[ERROR\]' "$W/agent.log" | head -n 5 | grep .; then fail "agent log has ERROR lines"; fi
grep -q -e "$(cat "$W/mgmt.pw")" "$W/agent.log" && fail "agent log contains the management password"
ok "agent log: no ERROR lines, no management password"
echo "PASS t_openvpn_two_instances"
