#!/bin/bash
# Real dhclient, udhcpc and dhcpcd each get a lease from the server under test on br0, renew it
# and release it. Topology: server ns with br0 198.19.0.1/24; one client ns per client, joined to
# br0 by a veth port. DHCP_SERVER=agent|kea selects the server (see dhcp-lib.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
P0=198.19.0.100; P1=198.19.0.199
server_bridge
declare -A CNS
for c in dhc udh dcp; do CNS[$c]=$(bridge_client "$c"); done
# 60 s leases (the agent's minimum): dhclient renews by itself at T1 (30 s); udhcpc and dhcpcd are
# forced to renew.
DS_METRICS_LISTEN=127.0.0.1:9469
dhcp_server_config br0 198.19.0.1/24 $P0 $P1 60
dhcp_server_start "$SRV"

dhclient_start "${CNS[dhc]}" eth0 dhc
udhcpc_start "${CNS[udh]}" eth0 udh
dhcpcd_session "${CNS[dcp]}" eth0 dcp

check_bound() { # TAG NS EVENT_REGEX
  wait_for 30 has_event "$1" "$3" || fail "$1: no lease within 30 s (events: $(tr '\n' ';' < "$W/$1.events"))"
  local ip; wait_for 5 test -n "$(addr_of "$2" eth0)" || fail "$1: no address on eth0"
  ip=$(addr_of "$2" eth0)
  in_pool "$ip" $P0 $P1 || fail "$1: address $ip not in pool $P0-$P1"
  local mac; mac=$(mac_of "$2" eth0)
  if [ "$DHCP_SERVER" = kea ] || [ -n "${AGENT_HAS_LEASES_CLI:-}" ]; then
    wait_for 5 test "$(lease_of "$mac")" = "$ip" || fail "$1: server store has no bound lease $ip for $mac: $(dhcp_leases | tr '\n' ';')"
  fi
  ok "$1 bound $ip ($mac)"
  eval "IP_$1=$ip"
}
check_bound dhc "${CNS[dhc]}" '^(BOUND|REBOOT) '
check_bound udh "${CNS[udh]}" '^bound '
check_bound dcp "${CNS[dcp]}" '^(BOUND|REBOOT) '
[ "$IP_dhc" != "$IP_udh" ] && [ "$IP_dhc" != "$IP_dcp" ] && [ "$IP_udh" != "$IP_dcp" ] \
  || fail "two clients share an address: $IP_dhc $IP_udh $IP_dcp"

# renew
kill -USR1 "$UDHCPC_PID"
touch "$W/dcp.renew"
wait_for 15 has_event udh "^renew $IP_udh\$" || fail "udhcpc: no renew ACK (events: $(tr '\n' ';' < "$W/udh.events"))"
ok "udhcpc renewed $IP_udh"
acks_dcp() { [ "$(grep -Ec "^(BOUND|REBOOT|RENEW|REBIND) $IP_dcp\$" "$W/dcp.events")" -ge 2 ]; }
wait_for 15 acks_dcp || fail "dhcpcd: no second ACK after -n (events: $(tr '\n' ';' < "$W/dcp.events"))"
ok "dhcpcd re-acknowledged $IP_dcp"
wait_for 45 has_event dhc "^RENEW $IP_dhc\$" || fail "dhclient: no RENEW at T1 (events: $(tr '\n' ';' < "$W/dhc.events"))"
ok "dhclient renewed $IP_dhc"
for t in dhc udh dcp; do
  ns_=${CNS[$t]}; v=IP_$t
  [ "$(addr_of "$ns_" eth0)" = "${!v}" ] || fail "$t: address changed after renew"
done
if [ "$DHCP_SERVER" = agent ]; then
  # dhclient (at T1) and udhcpc (SIGUSR1) renew by unicast to the server: RENEWING, told apart
  # from REBINDING by the datagram's destination (IP_PKTINFO), not by any field of the packet
  counts=$(ip netns exec "$SRV" curl -s "http://$DS_METRICS_LISTEN/metrics" \
    | awk '$1 ~ /^ovpn_agent_dhcp4_request_/ {printf "%s=%s ", $1, $2}')
  renewing=$(echo "$counts" | grep -o 'renewing_total=[0-9]*' | cut -d= -f2)
  [ "${renewing:-0}" -ge 2 ] || fail "agent counted ${renewing:-0} RENEWING REQUESTs, want >= 2 ($counts)"
  ok "agent told the renewals apart: $counts"
fi

# release
kill -USR2 "$UDHCPC_PID"
touch "$W/dcp.release"
# shellcheck disable=SC2046
ip netns exec "${CNS[dhc]}" dhclient -r $(dhclient_args dhc) eth0 >> "$W/dhc.log" 2>&1 \
  || fail "dhclient -r failed"
wait_for 10 has_event udh '^deconfig' || fail "udhcpc: no deconfig after SIGUSR2"
wait_for 10 grep -q 'releasing lease' "$W/dcp.log" || fail "dhcpcd: no RELEASE after -k (events: $(tr '\n' ';' < "$W/dcp.events"))"
has_event dhc '^RELEASE' || fail "dhclient: no RELEASE event"
sleep 1
if [ "$DHCP_SERVER" = kea ] || [ -n "${AGENT_HAS_LEASES_CLI:-}" ]; then
  for t in dhc udh dcp; do
    mac=$(mac_of "${CNS[$t]}" eth0)
    [ -z "$(lease_of "$mac")" ] || fail "$t: server still has a bound lease for $mac after RELEASE: $(dhcp_leases | tr '\n' ';')"
  done
  ok "server released all three leases"
fi
dhcp_server_stop
if [ "$DHCP_SERVER" = agent ]; then
  # offline check of the store: each client's lease is no longer bound
  L=$(dhcp_leases)
  for t in dhc udh dcp; do
    mac=$(mac_of "${CNS[$t]}" eth0)
    echo "$L" | grep -q "$mac" || fail "$t: no lease record for $mac in the store"
    ! echo "$L" | grep "$mac" | grep -qw bound || fail "$t: lease for $mac still bound after RELEASE"
  done
  ok "store shows the three leases released"
fi
echo "PASS t_dhcp_real_clients ($DHCP_SERVER)"
