#!/bin/bash
# Harness self-test for the OpenVPN scenarios: a real OpenVPN 2.6 bridged TAP server, one router
# client bridging its TAP to a LAN namespace, a stand-in management client answering client-auth,
# and a DHCP server on br0 (DHCP_SERVER, default here kea: the stand-in); the LAN device gets an
# address through the tunnel. Later scenarios reuse openvpn-lib.sh with the agent as management
# client and DHCP server.
DHCP_SERVER=${DHCP_SERVER:-kea}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
. "$(dirname "$0")/openvpn-lib.sh"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"
ovpn_keys server router-a
ovpn_server_ns
ovpn_router_ns router-a 1
ovpn_lan_device router-a lan1
ip netns exec "${OVPN_LAN[lan1]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ovpn_server_conf
ovpn_router_conf router-a
ovpn_start_server
mgmt_stub_start
ovpn_start_router router-a
ovpn_wait_router router-a 30
grep -q '^>CLIENT:CONNECT,0,' "$W/mgmt-stub.log" || fail "no >CLIENT:CONNECT seen"
grep -q '^SUCCESS: client-auth command succeeded' "$W/mgmt-stub.log" || fail "client-auth not accepted: $(cat "$W/mgmt-stub.log")"
grep -q 'common_name=router-a' "$W/mgmt-stub.log" || fail "no common_name=router-a in the CONNECT ENV"
ok "router-a connected and admitted by the management stub"

dhcp_server_config br0 198.19.0.1/24 198.19.0.100 198.19.0.199 600
dhcp_server_start "$OVPN_SRV"
udhcpc_start "${OVPN_LAN[lan1]}" eth0 lan1
wait_for 30 has_event lan1 '^bound [0-9]' || fail "LAN device got no lease through the tunnel: $(cat "$W/lan1.log")"
IP=$(addr_of "${OVPN_LAN[lan1]}" eth0)
in_pool "$IP" 198.19.0.100 198.19.0.199 || fail "LAN device address $IP not in pool"
MAC=$(mac_of "${OVPN_LAN[lan1]}" eth0)
wait_for 5 grep -q "add $MAC" "$W/learn.log" || fail "learn-address did not see $MAC: $(cat "$W/learn.log")"
ip netns exec "${OVPN_LAN[lan1]}" busybox ping -c 2 -W 3 198.19.0.1 > /dev/null || fail "LAN device cannot ping 198.19.0.1"
ok "LAN device $MAC got $IP through the tunnel, learn-address saw it, ping 198.19.0.1 ok"

# SIGHUP the server: the router reconnects, the stub admits it again, the device renews
ovpn_signal_server HUP
twice() { [ "$(grep -c 'Initialization Sequence Completed' "$W/openvpn-router-a.log")" -ge 2 ]; }
wait_for 40 twice || fail "router-a did not reconnect after SIGHUP: $(tail -n 20 "$W/openvpn-router-a.log")"
[ "$(grep -c '^-> client-auth' "$W/mgmt-stub.log")" -ge 2 ] || fail "stub did not admit the reconnect"
kill -USR1 "$UDHCPC_PID"
wait_for 20 has_event lan1 "^renew $IP\$" || fail "LAN device did not renew $IP after SIGHUP: $(tail -n 5 "$W/lan1.log")"
ok "after SIGHUP router-a reconnected and the LAN device renewed $IP"
echo "PASS t_openvpn_harness ($DHCP_SERVER)"
