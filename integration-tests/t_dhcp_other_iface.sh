#!/bin/bash
# The server answers only on the bridge: a client behind a second interface of the server
# namespace (eth1, not in br0, with an address of its own) gets no answer. tcpdump on eth1 in the
# server namespace must see the client's DISCOVERs arrive and no packet from port 67 leave; the
# client must time out. A client on br0 gets a lease in the same run (the server is up).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
server_bridge
IN=$(bridge_client in); OUT=$(ns out)
veth "$SRV" eth1 "$OUT" eth0
ip -n "$SRV" addr add 198.18.5.1/24 dev eth1
dhcp_server_config br0 198.19.0.1/24 198.19.0.100 198.19.0.199 600
dhcp_server_start "$SRV"

ip netns exec "$SRV" tcpdump -l -n -i eth1 -Q in 'udp dst port 67' > "$W/eth1-in.txt" 2>"$W/tcpdump-in.err" &
T1=$!; IT_PIDS+=("$T1")
ip netns exec "$SRV" tcpdump -l -n -i eth1 -Q out 'udp src port 67 or udp src port 68 or icmp' > "$W/eth1-out.txt" 2>"$W/tcpdump-out.err" &
T2=$!; IT_PIDS+=("$T2")
wait_for 10 grep -q listening "$W/tcpdump-in.err" || fail "tcpdump (in) did not start"
wait_for 10 grep -q listening "$W/tcpdump-out.err" || fail "tcpdump (out) did not start"

# the outsider: 3 DISCOVERs 2 s apart, then gives up (-n: exit if no lease)
_client_script out udhcpc.sh
set +e
ip netns exec "$OUT" timeout 30 busybox udhcpc -f -q -n -i eth0 -s "$W/out.sh" -t 3 -T 2 > "$W/out.log" 2>&1
rc=$?
set -e
[ "$rc" != 0 ] || fail "client behind eth1 got a lease: $(cat "$W/out.events")"
[ "$rc" != 124 ] || fail "udhcpc on eth1 did not give up in time"
has_event out '^bound' && fail "client behind eth1 was bound"

# the insider on br0 gets a lease in the same run
udhcpc_start "$IN" eth0 in
wait_for 20 has_event in '^bound [0-9]' || fail "client on br0 got no lease (server not serving?)"
sleep 1
kill "$T1" "$T2"; wait "$T1" "$T2" 2>/dev/null || true
n_in=$(grep -c 'BOOTP/DHCP, Request' "$W/eth1-in.txt" || true)
[ "$n_in" -ge 3 ] || fail "expected >= 3 DISCOVERs arriving on eth1, saw $n_in: $(cat "$W/eth1-in.txt")"
! grep -q . "$W/eth1-out.txt" || fail "server sent on eth1: $(cat -A "$W/eth1-out.txt")"
ok "$n_in DISCOVERs arrived on eth1, nothing left eth1, client timed out; br0 client bound $(addr_of "$IN" eth0)"
if [ "$DHCP_SERVER" = kea ] || [ -n "${AGENT_HAS_LEASES_CLI:-}" ]; then
  [ "$(dhcp_leases | wc -l)" = 1 ] || fail "store should hold only the br0 client's lease: $(dhcp_leases | tr '\n' ';')"
fi
echo "PASS t_dhcp_other_iface ($DHCP_SERVER)"
