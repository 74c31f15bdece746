#!/bin/bash
# Issue 4, multi-router sites through real OpenVPN 2.6: a bridged TAP server with the agent as its
# management client, two routers (each bridging its tunnel TAP with a LAN port) and a device behind
# each (dhclient behind router-a, udhcpc behind router-b). Every device gets an address in its own
# router's subnet at its first DISCOVER (router-a: configured 198.19.10.0/24; router-b: carved from
# the supernet); the map learned the MACs; a device moved to router-b is NAKed and gets a router-b
# address; leases record the router; after an agent restart mappings, the carved subnet and leases
# are back.
. "$(dirname "$0")/lib.sh"
command -v openvpn >/dev/null || fail "openvpn not installed"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"

# ns() must run in this shell (not in $(...)) so that its cleanup registration is kept.
for n in srv ra rb lana lanb; do ns "sites-$n" > /dev/null; done
S=it$IT_ID-sites-srv; RA=it$IT_ID-sites-ra; RB=it$IT_ID-sites-rb
LA=it$IT_ID-sites-lana; LB=it$IT_ID-sites-lanb
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
# device A behind router-a, device B behind router-b
ip -n "$RA" link add lan0 type veth peer name eth0 netns "$LA"
ip -n "$RB" link add lan0 type veth peer name eth0 netns "$LB"
ip -n "$RA" link set lan0 master br-lan; ip -n "$RA" link set lan0 up
ip -n "$RB" link set lan0 master br-lan; ip -n "$RB" link set lan0 up
ip -n "$LA" link set eth0 up; ip -n "$LB" link set eth0 up
MAC_A=$(ip netns exec "$LA" cat /sys/class/net/eth0/address)
MAC_B=$(ip netns exec "$LB" cat /sys/class/net/eth0/address)

for n in server router-a router-b; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 \
    -subj "/CN=$n" -keyout "$W/$n.key" -out "$W/$n.crt" >/dev/null 2>&1
done
fp() { openssl x509 -in "$W/$1.crt" -noout -fingerprint -sha256 | cut -d= -f2; }
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
$(fp router-a)
$(fp router-b)
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
peer-fingerprint $(fp server)
auth-retry nointeract
connect-retry 2 2
writepid $W/router-$r.pid
log $W/router-$r.log
verb 3
CONF
done

cat > "$W/agent.json" <<JSON
{"stateDir": "$W/state",
 "openvpn": {"configs": [{"config": "$W/server.conf", "name": "site"}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"},
 "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"}},
 "sites": {"routers": {"router-a": {"subnet": "198.19.10.0/24", "gateway": "198.19.10.254"}},
           "supernet": "198.19.64.0/18", "prefixLength": 24},
 "control": {"socket": "$W/ctl.sock"},
 "metrics": {"listen": ""}}
JSON

# pid_of FILE: the pid a daemon wrote (waits for the file: daemons write it after forking).
pid_of() { wait_for 10 test -s "$1" && cat "$1"; }

ctl() {
  local a=${2:-}
  [ -n "$a" ] || a='{}'
  printf '{"command":"%s","arguments":%s}\n' "$1" "$a" | socat -t 5 -T 5 - "UNIX-CONNECT:$W/ctl.sock"
}

agent_start "$S" "$W/agent.json" "$W/agent.log"
wait_for 30 test -S "$W/ctl.sock" || fail "agent did not come up"
wait_for 10 ip -n "$S" link show tap0 || fail "agent did not create tap0"
ip netns exec "$S" openvpn --cd "$W" --config "$W/server.conf" --daemon
IT_PIDS+=("$(pid_of "$W/server.pid")")
wait_for 20 grep -q "event=mgmt_connected\|mgmt_resync" "$W/agent.log" || fail "agent did not attach to the management socket"
for r in a b; do
  ns_r=$([ $r = a ] && echo "$RA" || echo "$RB")
  ip netns exec "$ns_r" openvpn --cd "$W" --config "$W/router-$r.conf" --daemon
  IT_PIDS+=("$(pid_of "$W/router-$r.pid")")
done
for r in a b; do
  wait_for 30 grep -q "Initialization Sequence Completed" "$W/router-$r.log" || fail "router-$r did not connect"
done
ok "two routers connected through the agent's client-auth"

bg ip netns exec "$S" tcpdump --immediate-mode -l -n -vv -i br0 udp port 67 or udp port 68 > "$W/tcpdump.txt" 2>&1
bg ip netns exec "$RB" tcpdump --immediate-mode -l -n -i tap0 udp port 68 > "$W/rb-tap.txt" 2>&1
sleep 1
# Device A: dhclient (daemonizes once bound). Device B: udhcpc.
ip netns exec "$LA" dhclient -1 -v -sf /bin/true -lf "$W/dhclient-a.leases" -pf "$W/dhclient-a.pid" eth0 > "$W/dhclient-a.log" 2>&1 \
  || fail "dhclient behind router-a got no lease"
IT_PIDS+=("$(pid_of "$W/dhclient-a.pid")")
IP_A=$(sed -n 's/.*fixed-address \([0-9.]*\);.*/\1/p' "$W/dhclient-a.leases" | tail -1)
case $IP_A in 198.19.10.*) ;; *) fail "device A got '$IP_A', not a router-a address";; esac
[ "$(grep -c DHCPDISCOVER "$W/dhclient-a.log")" = 1 ] || fail "device A needed more than one DISCOVER: $(cat "$W/dhclient-a.log")"
# dhclient does not write option 3 into its lease file; read it on the wire.
grep -q "Default-Gateway (3), length 4: 198.19.10.254" "$W/tcpdump.txt" || fail "device A: gateway option missing: $(cat "$W/tcpdump.txt")"
grep -q "198.19.0.1.67 > $IP_A.68" "$W/tcpdump.txt" || fail "OFFER/ACK to device A not unicast: $(cat "$W/tcpdump.txt")"
if grep -q "> $IP_A.68" "$W/rb-tap.txt"; then fail "a reply to device A reached router-b: $(cat "$W/rb-tap.txt")"; fi
grep -q "option dhcp-server-identifier 198.19.0.1;" "$W/dhclient-a.leases" || fail "device A: wrong server id"
ok "dhclient behind router-a: $IP_A at the first DISCOVER, gateway 198.19.10.254, replies L2-unicast only to router-a"

ip netns exec "$LB" timeout 20 busybox udhcpc -i eth0 -n -q -f -t 5 -T 3 -s /bin/true > "$W/udhcpc-b.log" 2>&1 \
  || fail "udhcpc behind router-b got no lease"
IP_B=$(sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p' "$W/udhcpc-b.log")
case $IP_B in 198.19.64.*) ;; *) fail "device B got '$IP_B', not router-b's carved 198.19.64.0/24";; esac
[ "$(grep -c "discover" "$W/udhcpc-b.log")" = 1 ] || fail "device B needed more than one DISCOVER: $(cat "$W/udhcpc-b.log")"
ok "udhcpc behind router-b: $IP_B (carved subnet) at the first DISCOVER"

R=$(ctl routers-get)
echo "$R" | grep -q '"name":"router-a","subnet":"198.19.10.0/24"' || fail "routers-get: $R"
echo "$R" | grep -q '"name":"router-b","subnet":"198.19.64.0/24"' || fail "routers-get: $R"
ip -n "$S" route show dev br0 | grep -q "198.19.64.0/24" || fail "no route for the carved subnet on br0"
L=$(ctl lease4-get-all)
echo "$L" | grep -q "router-a" && echo "$L" | grep -q "router-b" || fail "leases do not record routers: $L"
ok "routers-get, site routes and lease routers"

# Move device A to router-b: new LAN port behind router-b, same MAC. (The agent trusts a mapping
# learned less than 100 ms ago without asking OpenVPN; no real device moves that fast.)
sleep 0.3
kill "$(pid_of "$W/dhclient-a.pid")" 2>/dev/null || true
ip -n "$RA" link del lan0
ip -n "$RB" link add lan1 type veth peer name eth0 address "$MAC_A" netns "$LA"
ip -n "$RB" link set lan1 master br-lan; ip -n "$RB" link set lan1 up; ip -n "$LA" link set eth0 up
ip netns exec "$LA" dhclient -1 -v -sf /bin/true -lf "$W/dhclient-a.leases" -pf "$W/dhclient-a2.pid" eth0 > "$W/dhclient-a2.log" 2>&1 \
  || fail "moved device got no lease"
IT_PIDS+=("$(pid_of "$W/dhclient-a2.pid")")
IP_A2=$(sed -n 's/.*fixed-address \([0-9.]*\);.*/\1/p' "$W/dhclient-a.leases" | tail -1)
case $IP_A2 in 198.19.64.*) ;; *) fail "moved device got '$IP_A2', not a router-b address: $(cat "$W/dhclient-a2.log")";; esac
grep -q DHCPNAK "$W/dhclient-a2.log" || fail "moved device was not NAKed for its old address: $(cat "$W/dhclient-a2.log")"
ok "moved device: NAK for $IP_A, then $IP_A2 behind router-b"
R=$(ctl routers-get)
echo "$R" | grep -q '"name":"router-a","subnet":"198.19.10.0/24","gateway":"198.19.10.254","carved":false,"macs":0' \
  || fail "router-a still maps the moved device: $R"
ok "the map follows the move (routers-get)"

# Restart the agent: the MAC map and the carved subnet come back from the store, and device B
# keeps its address.
kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
agent_start "$S" "$W/agent.json" "$W/agent2.log"
wait_for 30 grep -q "event=sites_started" "$W/agent2.log" || fail "agent did not restart"
grep -q "event=sites_started enabled=true macs_loaded=[1-9]" "$W/agent2.log" || fail "no MAC mapping survived the restart: $(grep sites_started "$W/agent2.log")"
grep -q "carved_loaded=1" "$W/agent2.log" || fail "the carved subnet did not survive the restart"
wait_for 30 test -S "$W/ctl.sock" || fail "agent control socket missing after restart"
ip netns exec "$LB" timeout 20 busybox udhcpc -i eth0 -n -q -f -t 5 -T 3 -r "$IP_B" -s /bin/true > "$W/udhcpc-b2.log" 2>&1 \
  || fail "device B got no lease after the agent restarted"
grep -q "lease of $IP_B obtained" "$W/udhcpc-b2.log" || fail "device B lost its address over the restart: $(cat "$W/udhcpc-b2.log")"
ok "agent restart: mappings and carved subnet reloaded, device B keeps $IP_B"
