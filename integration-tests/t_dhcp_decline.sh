#!/bin/bash
# A real client whose offered address is already in use on the segment sends DHCPDECLINE and then
# gets a different address. A "squatter" namespace holds 198.19.0.100 on br0; each client asks for
# that address (udhcpc -r; dhclient starts with a remembered lease of it in its lease file, so it
# asks for it in INIT-REBOOT and then in its DISCOVER's option 50), so the server offers it first
# (allocation: requested address if free); udhcpc -a (built-in ARP probe) and dhclient (its script
# probes with arping -D and exits 1, which makes dhclient decline) detect the conflict.
# The server state is wiped between the two clients so that each starts from the same pool.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
P0=198.19.0.100; P1=198.19.0.103; TAKEN=198.19.0.100
server_bridge
SQ=$(bridge_client sq); CL=$(bridge_client cl)
ip -n "$SQ" addr add $TAKEN/24 dev eth0
dhcp_server_config br0 198.19.0.1/24 $P0 $P1 600

run_case() { # TAG START_FUNCTION...
  local tag=$1; shift
  dhcp_server_wipe
  dhcp_server_start "$SRV"
  ip netns exec "$SRV" tcpdump -l -n -i br0 -vv 'udp port 67' > "$W/$tag.pcap.txt" 2>/dev/null &
  IT_PIDS+=("$!"); local tcpd=$!
  sleep 1
  "$@"
  # the final lease: a bound event for an address other than the squatted one
  wait_for 60 has_event "$tag" "$BOUND_RE [0-9]" || fail "$tag: no lease (events: $(tr '\n' ';' < "$W/$tag.events"))"
  wait_for 60 bash -c "grep -E '$BOUND_RE [0-9]' '$W/$tag.events' | grep -vq ' $TAKEN\$'" \
    || fail "$tag: no lease other than $TAKEN (events: $(tr '\n' ';' < "$W/$tag.events"))"
  local ip; ip=$(grep -E "$BOUND_RE [0-9]" "$W/$tag.events" | grep -v " $TAKEN\$" | tail -n1 | awk '{print $2}')
  sleep 0.5
  kill "$tcpd" 2>/dev/null; wait "$tcpd" 2>/dev/null || true
  grep -q 'DHCP-Message.*Decline' "$W/$tag.pcap.txt" || fail "$tag: no DHCPDECLINE seen on br0"
  grep -A30 'DHCP-Message.*Decline' "$W/$tag.pcap.txt" | grep -q "Requested-IP.*$TAKEN" \
    || fail "$tag: the DECLINE does not name $TAKEN"
  [ "$ip" != "$TAKEN" ] || fail "$tag: ended up with the squatted address $TAKEN"
  in_pool "$ip" $P0 $P1 || fail "$tag: $ip not in pool"
  [ "$(addr_of "$CL" eth0)" = "$ip" ] || fail "$tag: $ip not configured on eth0"
  if [ "$DHCP_SERVER" = kea ] || [ -n "${AGENT_HAS_LEASES_CLI:-}" ]; then
    dhcp_leases | grep -q "^$TAKEN .* declined\$" || fail "$tag: server does not show $TAKEN declined: $(dhcp_leases | tr '\n' ';')"
  fi
  ok "$tag declined $TAKEN and got $ip"
  for p in $(ip netns pids "$CL"); do kill "$p"; done
  ip -n "$CL" -4 addr flush dev eth0
  dhcp_server_stop
  if [ "$DHCP_SERVER" = agent ] && [ -z "${AGENT_HAS_LEASES_CLI:-}" ]; then
    dhcp_leases | grep -q "^$TAKEN .*\(declin\|probation\)" || fail "$tag: store does not show $TAKEN declined: $(dhcp_leases | tr '\n' ';')"
  fi
}

BOUND_RE='^bound'
run_case udh udhcpc_start "$CL" eth0 udh -a -r $TAKEN
BOUND_RE='^(BOUND|REBOOT)'
cat > "$W/dhc.leases" <<EOL
lease {
  interface "eth0";
  fixed-address $TAKEN;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier 198.19.0.1;
  renew 4 2037/01/01 00:00:00;
  rebind 4 2037/01/01 00:00:00;
  expire 4 2037/01/01 00:00:00;
}
EOL
run_case dhc dhclient_start "$CL" eth0 dhc "reboot 3;" ARPCHECK=1
echo "PASS t_dhcp_decline ($DHCP_SERVER)"
