#!/bin/bash
# Clients keep their addresses across a server restart: udhcpc and dhclient get leases, the server
# is stopped with SIGTERM and started again on the same store, the clients renew (udhcpc forced by
# SIGUSR1, dhclient at T1 of its 60 s lease) and keep the same addresses; a fresh client after the
# restart gets a third, different address (the restarted server knows the first two are taken).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
P0=198.19.0.100; P1=198.19.0.199
server_bridge
declare -A CNS
for c in udh dhc new; do CNS[$c]=$(bridge_client "$c"); done
dhcp_server_config br0 198.19.0.1/24 $P0 $P1 60
dhcp_server_start "$SRV"
udhcpc_start "${CNS[udh]}" eth0 udh
dhclient_start "${CNS[dhc]}" eth0 dhc
wait_for 30 has_event udh '^bound [0-9]' || fail "udhcpc got no lease"
wait_for 30 has_event dhc '^(BOUND|REBOOT) [0-9]' || fail "dhclient got no lease"
A_udh=$(addr_of "${CNS[udh]}" eth0); A_dhc=$(addr_of "${CNS[dhc]}" eth0)
ok "before restart: udhcpc $A_udh, dhclient $A_dhc"

dhcp_server_stop
ok "server stopped (SIGTERM)"
: > "$W/dhc.events"; : > "$W/udh.events"
dhcp_server_start "$SRV"
kill -USR1 "$UDHCPC_PID"
wait_for 20 has_event udh '^(renew|bound) [0-9]' || fail "udhcpc: no ACK after restart (events: $(tr '\n' ';' < "$W/udh.events"))"
grep -Eq "^(renew|bound) $A_udh\$" "$W/udh.events" || fail "udhcpc: address changed after restart: $(tr '\n' ';' < "$W/udh.events")"
! has_event udh '^deconfig' || fail "udhcpc was NAKed / deconfigured after restart: $(tr '\n' ';' < "$W/udh.events")"
ok "udhcpc renewed $A_udh after restart"
wait_for 50 has_event dhc '^(RENEW|REBIND|BOUND|REBOOT) [0-9]' || fail "dhclient: no ACK after restart"
grep -Eq "^(RENEW|REBIND|BOUND|REBOOT) $A_dhc\$" "$W/dhc.events" || fail "dhclient: address changed: $(tr '\n' ';' < "$W/dhc.events")"
ok "dhclient renewed $A_dhc after restart"
[ "$(addr_of "${CNS[udh]}" eth0)" = "$A_udh" ] && [ "$(addr_of "${CNS[dhc]}" eth0)" = "$A_dhc" ] || fail "interface addresses changed"

udhcpc_start "${CNS[new]}" eth0 new
wait_for 30 has_event new '^bound [0-9]' || fail "new client got no lease after restart"
A_new=$(addr_of "${CNS[new]}" eth0)
[ "$A_new" != "$A_udh" ] && [ "$A_new" != "$A_dhc" ] || fail "new client got an address already leased: $A_new"
ok "new client got $A_new"
if [ "$DHCP_SERVER" = kea ] || [ -n "${AGENT_HAS_LEASES_CLI:-}" ]; then
  for c in udh dhc; do
    v=A_$c; [ "$(lease_of "$(mac_of "${CNS[$c]}" eth0)")" = "${!v}" ] || fail "$c: store lacks its lease: $(dhcp_leases | tr '\n' ';')"
  done
fi
dhcp_server_stop
if [ "$DHCP_SERVER" = agent ] && [ -z "${AGENT_HAS_LEASES_CLI:-}" ]; then
  for c in udh dhc new; do
    v=A_$c; [ "$(lease_of "$(mac_of "${CNS[$c]}" eth0)")" = "${!v}" ] || fail "$c: store lacks its lease: $(dhcp_leases | tr '\n' ';')"
  done
fi
echo "PASS t_dhcp_restart ($DHCP_SERVER)"
