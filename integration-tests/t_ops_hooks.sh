#!/bin/bash
# hooks/up the way OpenVPN calls it (`up tap0 1500 0 init`, with OpenVPN's environment), twice at
# the same time, with OVPN_AGENT_CONFIG naming a config whose control socket is in the temp dir:
# both calls return at once, exactly one agent starts, and both (and a later `restart` call) reach
# it as device-up (in the agent's log). The agent is stopped at the end.
IT_ID=${IT_ID:-ops$(printf '%02x' $((RANDOM % 256)))}
. "$(dirname "$0")/lib.sh"
SRV=$(ns srv)
ip -n "$SRV" tuntap add dev tap0 mode tap
mkdir -p "$W/run" "$W/state"
cat > "$W/server.conf" <<EOC
dev tap0
dev-type tap
proto udp
port 1194
server-bridge
management $W/mgmt.sock unix
management-client-auth
auth-user-pass-optional
script-security 2
up "$IT_ROOT/hooks/up"
EOC
CONF=$W/agent.json
cat > "$CONF" <<EOC
{"stateDir": "$W/state",
 "openvpn": {"configs": [{"config": "$W/server.conf", "name": "site"}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"},
 "dhcp": {"enabled": false},
 "store": {"url": "jdbc:h2:file:$W/state/leases;WRITE_DELAY=0"},
 "control": {"socket": "$W/run/control.sock"},
 "metrics": {"listen": ""},
 "log": {"level": "info", "file": "$W/agent.log"}}
EOC
: > "$W/agent.log"
agent_pids() { ps -eo pid=,args= | awk -v c="$CONF" 'index($0, "run --config " c) && /java/ {print $1}'; }
no_agent() { [ -z "$(agent_pids)" ]; }
stop_agent() {
  local p
  for p in $(agent_pids); do kill "$p" 2>/dev/null; done
  wait_for 15 no_agent || { echo "agent did not stop on SIGTERM" >&2; for p in $(agent_pids); do kill -9 "$p"; done; return 1; }
}
trap 'rc=$?; set +e; stop_agent 2>/dev/null || true; (exit $rc); it_cleanup' EXIT

# up DEV MTU LINK_MTU CONTEXT, run as OpenVPN would (in the server's namespace, with its env)
up() {
  ip netns exec "$SRV" env -i PATH="$PATH" OVPN_AGENT_CONFIG="$CONF" OVPN_AGENT_BIN="$IT_ROOT/bin/ovpn-agent" \
    OVPN_AGENT_START_LOG="$W/start.log" script_type=up dev="$1" dev_type=tap tun_mtu="$2" link_mtu="$3" \
    config="$W/server.conf" daemon=0 daemon_pid=$$ verb=3 script_context="$4" \
    "$IT_ROOT/hooks/up" "$1" "$2" "$3" "$4" 2>> "$W/hook.err"
}

t0=$(date +%s%N)
up tap0 1500 0 init & P1=$!
up tap0 1500 0 init & P2=$!
wait "$P1" || fail "first up exited non-zero"
wait "$P2" || fail "second up exited non-zero"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $ms -lt 3000 ] || fail "up hooks took $ms ms (must return at once)"
ok "two concurrent up calls returned 0 in $ms ms"

seen() { [ "$(grep -c "$1" "$W/agent.log")" -ge "$2" ]; }
wait_for 60 seen 'event=device_up dev=tap0' 2 || fail "expected 2 device-up events: $(grep -E 'device_up|error|ERROR' "$W/agent.log"; cat "$W/hook.err" "$W/start.log" 2>/dev/null | tail -20)"
pids=$(agent_pids)
[ "$(echo "$pids" | grep -c .)" = 1 ] || fail "expected exactly one agent, found: $pids"
PID=$pids
[ "$(grep -c 'event=agent_started\|event=control_listening' "$W/agent.log")" -ge 1 ] || fail "agent start not logged"
[ "$(grep -c 'event=control_listening' "$W/agent.log")" = 1 ] || fail "more than one agent started: $(grep control_listening "$W/agent.log")"
grep 'event=device_up dev=tap0' "$W/agent.log" | grep -q 'instance=site' || fail "device-up not tied to instance site: $(grep device_up "$W/agent.log")"
grep 'event=device_up dev=tap0' "$W/agent.log" | grep -q 'bridged=true' || fail "tap0 not handled as a bridged TAP: $(grep device_up "$W/agent.log")"
[ "$(grep -c 'starting .* run --config' "$W/hook.err")" = 1 ] || fail "the hooks did not start exactly one agent: $(cat "$W/hook.err")"
ok "one agent (pid $PID) started; both up calls reached it as device-up (instance site, bridged)"

# tap0 is in br0 (the agent converged it)
ip -n "$SRV" link show tap0 | grep -q 'master br0' || fail "tap0 not in br0: $(ip -n "$SRV" link show tap0)"

# a later up (OpenVPN restart) only notifies the running agent
up tap0 1500 0 restart || fail "third up failed"
wait_for 20 seen 'event=device_up dev=tap0 mtu=1500 context=restart' 1 || fail "restart device-up not seen: $(grep device_up "$W/agent.log")"
[ "$(agent_pids)" = "$PID" ] || fail "the agent changed or multiplied: $(agent_pids)"
ok "a third up (restart) only notified agent $PID"

stop_agent || fail "the agent did not stop within 15 s of SIGTERM"
[ ! -S "$W/run/control.sock" ] || fail "control socket left behind"
ok "agent stopped and its control socket removed"
echo "PASS t_ops_hooks"
