#!/bin/bash
# The ovpn-agent lab (`make demo`, after `make build`), in network namespaces, all addresses in
# 198.18.0.0/15:
#
#   router-a (198.18.1.2) --udp 1194--+                     +-- br0 198.19.0.1/24: DHCP by the agent
#     br-lan: tap0 + dev-a (udhcpc)   |   server namespace  |     (pool .100-.199), tap0 of "site"
#   router-b (198.18.2.2) --udp 1194--+   OpenVPN "site"    |
#     br-lan: tap0 + dev-b (udhcpc)   |   (bridged TAP) and |
#   laptop   (198.18.3.2) --udp 1195--+   "laptops" (TUN)   +-- tun1 198.19.128.1/24: addresses
#                                         + ovpn-agent            pushed by the agent (routed pool)
#
# One agent is the management client of both OpenVPN instances, owns br0 and serves DHCP on it.
# The script prints `ovpn-agent status`, `instances`, `clients` and `leases`, then (DEMO_HOLD=1,
# the default, on a terminal) waits for Enter or Ctrl-C; everything is torn down on exit.
# DEMO_HOLD=0 tears down at once (CI). Needs root, openvpn 2.6, busybox, socat, python3.
IT_ID=${IT_ID:-demo}
DHCP_SERVER=agent
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
. "$(dirname "$0")/openvpn-lib.sh"
# stop the agent first, gently (it closes its store and sockets), then lib.sh removes the rest
demo_down() {
  echo "=== tearing the lab down"
  if [ -n "${AGENT_PID:-}" ] && kill -0 "$AGENT_PID" 2>/dev/null; then
    kill -TERM "$AGENT_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$AGENT_PID" 2>/dev/null || true
  fi
  true
}
trap 'rc=$?; set +e; demo_down; (exit $rc); it_cleanup' EXIT
[ "$(id -u)" = 0 ] || fail "the demo needs root (network namespaces)"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"
[ -f "$IT_ROOT/target/ovpn-agent.jar" ] || fail "target/ovpn-agent.jar missing: run 'make build' first"
for t in openvpn busybox socat python3 openssl; do command -v $t >/dev/null || fail "$t not installed"; done
DEMO_HOLD=${DEMO_HOLD:-1}
say() { echo; echo "=== $*"; }

say "building the lab (namespaces it$IT_ID-*, work dir $W)"
ovpn_keys server router-a router-b laptop
ovpn_server_ns
ovpn_router_ns router-a 1
ovpn_router_ns router-b 2
ovpn_lan_device router-a dev-a
ovpn_lan_device router-b dev-b
LAPTOP=$(ns laptop)
OVPN_RNS[laptop]=$LAPTOP
veth "$OVPN_SRV" ul-3 "$LAPTOP" ul0
ip -n "$OVPN_SRV" addr add 198.18.3.1/24 dev ul-3
ip -n "$LAPTOP" addr add 198.18.3.2/24 dev ul0

# the bridged instance "site" (openvpn-lib's server.conf) and the routed instance "laptops"
ovpn_server_conf
ovpn_router_conf router-a
ovpn_router_conf router-b
cat > "$W/laptops.conf" <<EOC
dev tun1
proto udp
port 1195
topology subnet
server 198.19.128.0 255.255.255.0
cert $W/keys/server.crt
key $W/keys/server.key
dh none
management $W/mgmt-laptops.sock unix
management-client-auth
auth-user-pass-optional
keepalive 5 30
writepid $W/laptops.pid
log $W/openvpn-laptops.log
verb 3
<peer-fingerprint>
$(ovpn_fp laptop)
</peer-fingerprint>
EOC
cat > "$W/laptop.conf" <<EOC
client
dev tun
proto udp
remote 198.18.3.1 1195
nobind
cert $W/keys/laptop.crt
key $W/keys/laptop.key
peer-fingerprint $(ovpn_fp server)
auth-retry nointeract
connect-retry 2 2
writepid $W/laptop.pid
log $W/openvpn-laptop.log
verb 3
EOC

mkdir -p "$W/run" "$W/state"
CONF=$W/agent.json
cat > "$CONF" <<EOC
{"stateDir": "$W/state",
 "openvpn": {"configs": [
   {"config": "$W/server.conf", "name": "site", "auth": {"allow": ["router-*"]},
    "console": "$W/run/site.console"},
   {"config": "$W/laptops.conf", "name": "laptops", "routed": {"pool": "198.19.128.0/24"},
    "console": "$W/run/laptops.console"}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"},
 "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"},
          "leaseTime": "1h", "routers": ["198.19.0.1"]},
 "store": {"url": "jdbc:h2:file:$W/state/leases;WRITE_DELAY=0"},
 "control": {"socket": "$W/run/control.sock"},
 "metrics": {"listen": "127.0.0.1:9469"},
 "log": {"level": "info", "file": "$W/agent.log"}}
EOC

say "starting OpenVPN (site: bridged TAP, laptops: routed TUN) and ovpn-agent"
ovpn_start_server
ip netns exec "$OVPN_SRV" openvpn --cd "$W" --config "$W/laptops.conf" --daemon \
  || fail "openvpn laptops failed to start: $(tail -n 20 "$W/openvpn-laptops.log")"
wait_for 10 _ovpn_pid_alive "$W/laptops.pid" || fail "openvpn laptops not running: $(tail -n 20 "$W/openvpn-laptops.log")"
IT_PIDS+=("$(cat "$W/laptops.pid")"); echo "pid $(cat "$W/laptops.pid")" >> "$IT_REG"
: > "$W/agent.log"
agent_start "$OVPN_SRV" "$CONF" "$W/agent.out"
two_connected() { [ "$(grep -c 'event=mgmt_connected' "$W/agent.log")" -ge 2 ]; }
wait_for 60 two_connected || fail "the agent did not attach to both instances: $(tail -n 20 "$W/agent.log" "$W/agent.out")"
echo "agent pid $AGENT_PID attached to both management interfaces"

say "connecting router-a, router-b and the laptop"
for r in router-a router-b laptop; do ovpn_start_router "$r"; done
for r in router-a router-b laptop; do ovpn_wait_router "$r" 60; echo "$r connected"; done
LAPTOP_IP=
laptop_ip() { LAPTOP_IP=$(ip -n "$LAPTOP" -4 -o addr show dev tun0 2>/dev/null | awk '{print $4}'); [ -n "$LAPTOP_IP" ]; }
wait_for 20 laptop_ip || fail "the laptop got no address on tun0"
echo "laptop tun0: $LAPTOP_IP (pushed by the agent)"

say "DHCP clients behind the routers (busybox udhcpc)"
udhcpc_start "${OVPN_LAN[dev-a]}" eth0 dev-a
udhcpc_start "${OVPN_LAN[dev-b]}" eth0 dev-b
for d in dev-a dev-b; do
  wait_for 40 has_event "$d" '^bound [0-9]' || fail "$d got no lease: $(cat "$W/$d.log")"
  echo "$d ($(mac_of "${OVPN_LAN[$d]}" eth0)) bound $(addr_of "${OVPN_LAN[$d]}" eth0)"
done
ip netns exec "${OVPN_LAN[dev-a]}" busybox ping -c 1 -W 3 198.19.0.1 > /dev/null && echo "dev-a pings 198.19.0.1 through router-a's tunnel"
ip netns exec "$LAPTOP" busybox ping -c 1 -W 3 198.19.128.1 > /dev/null && echo "laptop pings 198.19.128.1 through its tunnel"

cli() { "$AGENT" "$@" --config "$CONF"; }
for c in status instances clients leases; do
  say "ovpn-agent $c"
  cli "$c" || fail "ovpn-agent $c failed"
done

say "the management console of instance site (socat - UNIX-CONNECT:$W/run/site.console)"
printf 'routers\nkill nobody\nclient-auth 0 1\nquit\n' | timeout 10 socat -t 5 - "UNIX-CONNECT:$W/run/site.console" | tr -d '\r' \
  | sed 's/^/  /' || echo "  (console not reachable)"

if [ "$DEMO_HOLD" != 0 ] && [ -t 0 ]; then
  say "the lab is up. Try, in another terminal:"
  echo "  $AGENT leases --config $CONF"
  echo "  socat - UNIX-CONNECT:$W/run/site.console      (then: status 3, dhcp leases, routers, quit)"
  echo "  ip netns exec $OVPN_SRV curl -s http://127.0.0.1:9469/metrics | grep dhcp4"
  echo "  tail -F $W/agent.log"
  read -r -p "press Enter (or Ctrl-C) to tear it down " _ || true
fi
say "demo done"
