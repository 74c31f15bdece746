#!/bin/bash
# Issue 3, the gate: UDP/67 is bound only when an instance is bridged-tap AND dhcp.enabled.
# For each of the four combinations, run the agent in a fresh namespace and read `ss -lun`.
# Also: a bad config exits 2 before anything is bound.
. "$(dirname "$0")/lib.sh"

S=$(ns gate)
ip -n "$S" link add br0 type bridge
ip -n "$S" addr add 198.19.0.1/24 dev br0
ip -n "$S" link set br0 up

cat > "$W/bridged.conf" <<CONF
dev tap0
server-bridge
management $W/bridged.sock unix
management-client-auth
auth-user-pass-optional
CONF
cat > "$W/routed.conf" <<CONF
dev tun0
topology subnet
server 198.19.128.0 255.255.255.0
management $W/routed.sock unix
management-client-auth
auth-user-pass-optional
CONF

config() { # NAME INSTANCE-CONF DHCP-ENABLED
  cat > "$W/$1.json" <<JSON
{"stateDir": "$W/state-$1",
 "openvpn": {"configs": [{"config": "$W/$2", "routed": {"pool": "198.19.128.0/24"}}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"},
 "dhcp": {"enabled": $3, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"}},
 "control": {"socket": "$W/ctl-$1.sock"},
 "metrics": {"listen": ""}}
JSON
}

bound67() { ip netns exec "$S" ss -H -lun 'sport = :67' | grep -q .; }

run_case() { # NAME INSTANCE-CONF DHCP EXPECT(bound|unbound)
  config "$1" "$2" "$3"
  ip netns exec "$S" "$AGENT" check --config "$W/$1.json" > "$W/check-$1.log" 2>&1 || fail "$1: check failed: $(cat "$W/check-$1.log")"
  agent_start "$S" "$W/$1.json" "$W/agent-$1.log"
  wait_for 20 test -S "$W/ctl-$1.sock" || fail "$1: agent did not come up: $(tail "$W/agent-$1.log")"
  sleep 0.5
  if [ "$4" = bound ]; then
    bound67 || fail "$1: expected UDP/67 bound: $(ip netns exec "$S" ss -lun)"
    grep -q "would bind UDP/67 on br0" "$W/check-$1.log" || fail "$1: check does not say it binds: $(cat "$W/check-$1.log")"
  else
    if bound67; then fail "$1: UDP/67 bound but must not be: $(ip netns exec "$S" ss -lunp)"; fi
    grep -q "will not bind" "$W/check-$1.log" || fail "$1: check does not say why not: $(cat "$W/check-$1.log")"
  fi
  kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
  if bound67; then fail "$1: UDP/67 still bound after the agent stopped"; fi
  ok "$1: $4"
}

run_case bridged-dhcp bridged.conf true bound
run_case bridged-nodhcp bridged.conf false unbound
run_case routed-dhcp routed.conf true unbound
grep -qi "routed" "$W/check-routed-dhcp.log" || fail "routed-dhcp: check does not report dhcp.enabled with routed only"
run_case routed-nodhcp routed.conf false unbound

# A bad config stops the agent with status 2, naming the key, and binds nothing.
config bad bridged.conf true
sed -i 's/"198.19.0.199"/"198.19.1.199"/' "$W/bad.json"
set +e
ip netns exec "$S" "$AGENT" run --config "$W/bad.json" > "$W/bad.log" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "bad config: exit $rc, expected 2"
grep -q "dhcp.pool.end" "$W/bad.log" || fail "bad config: message does not name the key: $(cat "$W/bad.log")"
if bound67; then fail "bad config: something bound UDP/67"; fi
ok "bad config exits 2 naming dhcp.pool.end"
