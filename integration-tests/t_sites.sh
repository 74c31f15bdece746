#!/bin/bash
# Issue 4, multi-router sites through real OpenVPN 2.6: a bridged TAP server with the agent as its
# management client, two routers (each bridging its tunnel TAP with a LAN port) and a device behind
# each (dhclient behind router-a, udhcpc behind router-b). Every device gets an address in its own
# router's subnet at its first DISCOVER (router-a: configured 198.19.10.0/24; router-b: carved from
# the supernet); a device on the server bridge's own LAN port gets a bridge-pool address; the map
# learned the MACs; a device moved to router-b is NAKed and gets a router-b
# address; leases record the router; after an agent restart mappings, the carved subnet and leases
# are back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sites-lib.sh"

SITES_LAN=lan-s  # a LAN port of the server's own bridge, with device L on it
sites_setup
# ns() must run in this shell (not in $(...)) so that its cleanup registration is kept.
for n in lana lanb lans; do ns "sites-$n" > /dev/null; done
LA=it$IT_ID-sites-lana; LB=it$IT_ID-sites-lanb; LS=it$IT_ID-sites-lans
ip -n "$S" link add lan-s type veth peer name eth0 netns "$LS"
ip -n "$LS" link set eth0 up
# device A behind router-a, device B behind router-b
ip -n "$RA" link add lan0 type veth peer name eth0 netns "$LA"
ip -n "$RB" link add lan0 type veth peer name eth0 netns "$LB"
ip -n "$RA" link set lan0 master br-lan; ip -n "$RA" link set lan0 up
ip -n "$RB" link set lan0 master br-lan; ip -n "$RB" link set lan0 up
ip -n "$LA" link set eth0 up; ip -n "$LB" link set eth0 up
MAC_A=$(ip netns exec "$LA" cat /sys/class/net/eth0/address)
MAC_B=$(ip netns exec "$LB" cat /sys/class/net/eth0/address)

sites_start_agent "$W/agent.log"
sites_start_server
sites_start_router a; sites_start_router b
sites_wait_router a; sites_wait_router b
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

# Device L on the server's own LAN port (bridge.lanInterfaces): behind no router, so no router
# claims its MAC; the bridge learned it on lan-s, and it gets a bridge-pool address at once.
ip netns exec "$LS" timeout 20 busybox udhcpc -i eth0 -n -q -f -t 5 -T 3 -s /bin/true > "$W/udhcpc-l.log" 2>&1 \
  || fail "device on the bridge's LAN port got no lease: $(tail -n 5 "$W/agent.log")"
IP_L=$(sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p' "$W/udhcpc-l.log")
case $IP_L in 198.19.0.1[0-9][0-9]) ;; *) fail "device L got '$IP_L', not a bridge-pool address";; esac
[ "$(grep -c "discover" "$W/udhcpc-l.log")" = 1 ] || fail "device L needed more than one DISCOVER: $(cat "$W/udhcpc-l.log")"
ok "udhcpc on the bridge's own LAN port: $IP_L from the bridge pool at the first DISCOVER"

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
