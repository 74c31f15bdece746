# Multi-router sites through real OpenVPN 2.6 (issue 4): shared setup for t_sites_*.sh and
# bench/sites_latency.sh. Source after lib.sh.
#
# Topology: namespace srv runs the OpenVPN bridged TAP server (tap0 pre-created and enslaved to br0
# 198.19.0.1/24 by the agent) with the agent as its management client (management-client-auth)
# and DHCP server with sites: router-a has 198.19.10.0/24 (gateway 198.19.10.254), router-b a /24
# carved from 198.19.64.0/18. Routers ra/rb (underlay 198.18.0.0/24, 198.18.1.0/24) bridge their
# tunnel TAP with LAN ports in br-lan; each LAN device is its own namespace with eth0 in br-lan.
#
#   sites_setup [EXTRA_SERVER_LINES]  namespaces, keys and configs; sets S RA RB
#   sites_start_agent LOG             starts the agent in srv (AGENT_PID), waits for its socket
#   sites_start_server                starts OpenVPN in srv, waits for the agent to attach
#   sites_start_router a|b            starts router-a / router-b (pid in $W/router-X.pid)
#   sites_wait_router a|b [N] [SECS]  waits for the N-th "Initialization Sequence Completed"
#   sites_device ROUTER_NS NAME [MAC] a LAN namespace it$IT_ID-NAME behind ROUTER_NS; prints its name
#   sites_udhcpc_script               writes $W/udhcpc.sh (sets the address and an on-link route
#                                     to the server identifier, so renewals can be unicast)
#   ctl COMMAND [ARGS_JSON]           one control-socket request; pid_of FILE
command -v openvpn >/dev/null || fail "openvpn not installed"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"

pid_of() { wait_for 10 test -s "$1" && cat "$1"; }

ctl() {
  local a=${2:-}
  [ -n "$a" ] || a='{}'
  printf '{"command":"%s","arguments":%s}\n' "$1" "$a" | socat -t 5 -T 5 - "UNIX-CONNECT:$W/ctl.sock"
}

sites_setup() {
  # ns() must run in this shell (not in $(...)) so that its cleanup registration is kept.
  local n r net
  for n in sites-srv sites-ra sites-rb; do ns "$n" > /dev/null; done
  S=it$IT_ID-sites-srv; RA=it$IT_ID-sites-ra; RB=it$IT_ID-sites-rb
  veth "$S" ul-a "$RA" ul0; veth "$S" ul-b "$RB" ul0
  ip -n "$S" addr add 198.18.0.1/24 dev ul-a; ip -n "$RA" addr add 198.18.0.2/24 dev ul0
  ip -n "$S" addr add 198.18.1.1/24 dev ul-b; ip -n "$RB" addr add 198.18.1.2/24 dev ul0
  for r in "$RA" "$RB"; do
    ip -n "$r" tuntap add dev tap0 mode tap
    ip -n "$r" link add br-lan type bridge
    ip -n "$r" link set tap0 master br-lan
    ip -n "$r" link set tap0 up
    ip -n "$r" link set br-lan up
  done
  for n in server router-a router-b; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 \
      -subj "/CN=$n" -keyout "$W/$n.key" -out "$W/$n.crt" >/dev/null 2>&1
  done
  echo secret > "$W/mgmt.pw"; chmod 600 "$W/mgmt.pw"
  cat > "$W/server.conf" <<CONF
dev tap0
proto udp
port 1194
tls-server
cert $W/server.crt
key $W/server.key
dh none
<peer-fingerprint>
$(_sites_fp router-a)
$(_sites_fp router-b)
</peer-fingerprint>
server-bridge
management $W/mgmt.sock unix $W/mgmt.pw
management-client-auth
auth-user-pass-optional
script-security 2
learn-address "$IT_ROOT/hooks/learn-address --control $W/ctl.sock --instance site"
keepalive 5 30
writepid $W/server.pid
log $W/server.log
verb 3
${1:-}
CONF
  for r in a b; do
    net=$([ $r = a ] && echo 198.18.0.1 || echo 198.18.1.1)
    cat > "$W/router-$r.conf" <<CONF
client
dev tap0
proto udp
remote $net 1194
nobind
cert $W/router-$r.crt
key $W/router-$r.key
peer-fingerprint $(_sites_fp server)
auth-retry nointeract
connect-retry 2 2
writepid $W/router-$r.pid
log $W/router-$r.log
verb 3
CONF
  done
  local lan=""
  [ -z "${SITES_LAN:-}" ] || lan=", \"lanInterfaces\": [\"$SITES_LAN\"]"
  cat > "$W/agent.json" <<JSON
{"stateDir": "$W/state",
 "openvpn": {"configs": [{"config": "$W/server.conf", "name": "site"}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"$lan},
 "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"}},
 "sites": {"routers": {"router-a": {"subnet": "198.19.10.0/24", "gateway": "198.19.10.254"}},
           "supernet": "198.19.64.0/18", "prefixLength": 24},
 "control": {"socket": "$W/ctl.sock"},
 "metrics": {"listen": ""}}
JSON
}

_sites_fp() { openssl x509 -in "$W/$1.crt" -noout -fingerprint -sha256 | cut -d= -f2; }

sites_start_agent() {
  rm -f "$W/ctl.sock"
  agent_start "$S" "$W/agent.json" "$1"
  wait_for 30 test -S "$W/ctl.sock" || fail "agent did not come up: $(tail -n 20 "$1")"
  wait_for 10 ip -n "$S" link show tap0 || fail "agent did not create tap0"
}

sites_start_server() {
  ip netns exec "$S" openvpn --cd "$W" --config "$W/server.conf" --daemon
  IT_PIDS+=("$(pid_of "$W/server.pid")")
  wait_for 20 grep -q "event=mgmt_connected\|mgmt_resync" "$W"/agent*.log \
    || fail "agent did not attach to the management socket"
}

sites_start_router() {
  local ns_r; ns_r=$([ "$1" = a ] && echo "$RA" || echo "$RB")
  rm -f "$W/router-$1.pid"
  ip netns exec "$ns_r" openvpn --cd "$W" --config "$W/router-$1.conf" --daemon
  IT_PIDS+=("$(pid_of "$W/router-$1.pid")")
}

_sites_inits() { [ "$(grep -c "Initialization Sequence Completed" "$W/router-$1.log" 2>/dev/null)" -ge "$2" ]; }
sites_wait_router() {
  wait_for "${3:-30}" _sites_inits "$1" "${2:-1}" || fail "router-$1 did not connect: $(tail -n 15 "$W/router-$1.log")"
}

# sites_device ROUTER_NS NAME [MAC]: a device namespace behind the router; ns() is not run in a
# subshell here, so call it as `sites_device ...; D=$SITES_DEV`.
sites_device() {
  local r=$1 name=$2 mac=${3:-} port
  ns "$name" > /dev/null
  SITES_DEV=it$IT_ID-$name
  port="l-${name}"; port=${port:0:15}
  ip -n "$r" link add "$port" type veth peer name eth0 ${mac:+address "$mac"} netns "$SITES_DEV"
  ip -n "$r" link set "$port" master br-lan
  ip -n "$r" link set "$port" up
  ip -n "$SITES_DEV" link set eth0 up
}

sites_udhcpc_script() {
  cat > "$W/udhcpc.sh" <<'EOS'
#!/bin/sh
# udhcpc event script: own address plus an on-link route to the server identifier (the router
# subnets lie outside the bridge subnet), so that renewals unicast to it are routable.
case $1 in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip addr replace "$ip/${mask:-24}" dev "$interface"
    [ -n "${serverid:-}" ] && ip route replace "$serverid/32" dev "$interface"
    ;;
esac
exit 0
EOS
  chmod 755 "$W/udhcpc.sh"
}
