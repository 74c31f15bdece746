#!/bin/bash
# kill -9 the server during a perfdhcp run: after a restart every lease whose ACK perfdhcp saw is
# in the store (commit before ACK), and no address is held by two clients (checked over the ACKs
# of the first run plus a second perfdhcp run with new clients after the restart).
# Topology: server ns with br0 198.18.0.1/16 (pool 198.18.1.0-198.18.255.250); perfdhcp in a client
# ns on a br0 port (198.18.0.2/16), broadcast mode, so giaddr = 198.18.0.2 and replies go to :67.
# ACKs are captured with tcpdump on the client side and decoded by dhcp_acks.py; the store is read
# by dhcp_leases (kea: lease CSV; agent: `ovpn-agent leases --json` or H2 offline).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
SRV=$(ns srv); PF=$(ns pf)
ip -n "$SRV" link add br0 type bridge
ip -n "$SRV" addr add 198.18.0.1/16 dev br0
ip -n "$SRV" link set br0 up
veth "$SRV" p-pf "$PF" eth0; ip -n "$SRV" link set p-pf master br0
ip -n "$PF" addr add 198.18.0.2/16 dev eth0
dhcp_server_config br0 198.18.0.1/16 198.18.1.0 198.18.255.250 3600
dhcp_server_start "$SRV"

capture() { # FILE: tcpdump on the client side, ACKs come to port 67
  ip netns exec "$PF" tcpdump -U -n -s 600 -B 8192 -i eth0 -w "$1" 'udp src port 67' 2> "$1.err" &
  CAP=$!; IT_PIDS+=("$CAP")
  wait_for 10 grep -q listening "$1.err" || fail "tcpdump did not start"
}
stop_capture() { kill -INT "$CAP" 2>/dev/null; wait "$CAP" 2>/dev/null || true; }

capture "$W/run1.pcap"
ip netns exec "$PF" perfdhcp -4 -l eth0 -r 500 -R 5000 -p 8 -b mac=02:11:00:00:00:00 > "$W/perf1.log" 2>&1 &
PERF=$!; IT_PIDS+=("$PERF")
sleep 3
OLD=$DS_PID
dhcp_server_kill9
ok "server (pid $OLD) killed with SIGKILL mid-run"
wait "$PERF" || true
stop_capture
python3 "$IT_ROOT/integration-tests/dhcp_acks.py" "$W/run1.pcap" | sort -u > "$W/acks1.txt"
n1=$(wc -l < "$W/acks1.txt")
[ "$n1" -ge 200 ] || fail "only $n1 ACKs captured before the kill (perfdhcp: $(grep -i rate "$W/perf1.log"))"
ok "$n1 distinct ACKs seen before the kill"

dhcp_server_start "$SRV"
if [ "$DHCP_SERVER" = agent ] && [ -z "${AGENT_HAS_LEASES_CLI:-}" ]; then
  dhcp_server_stop; dhcp_leases > "$W/store1.txt"; dhcp_server_start "$SRV"
else
  dhcp_leases > "$W/store1.txt"
fi
# every ACKed (ip, mac) is a bound lease in the store
missing=$(awk 'NR==FNR { if ($3=="bound") have[$1" "$2]=1; next } !(($1" "$2) in have)' "$W/store1.txt" "$W/acks1.txt" | wc -l)
[ "$missing" = 0 ] || fail "$missing ACKed leases missing from the store after kill -9, e.g. $(awk 'NR==FNR { if ($3=="bound") have[$1" "$2]=1; next } !(($1" "$2) in have)' "$W/store1.txt" "$W/acks1.txt" | head -3 | tr '\n' ';')"
ok "all $n1 ACKed leases are in the store ($(grep -c ' bound$' "$W/store1.txt") bound)"

# second run with new clients on the restarted server
capture "$W/run2.pcap"
ip netns exec "$PF" perfdhcp -4 -l eth0 -r 500 -R 2000 -p 4 -b mac=02:22:00:00:00:00 > "$W/perf2.log" 2>&1 || true
stop_capture
python3 "$IT_ROOT/integration-tests/dhcp_acks.py" "$W/run2.pcap" | sort -u > "$W/acks2.txt"
n2=$(wc -l < "$W/acks2.txt")
[ "$n2" -ge 100 ] || fail "only $n2 ACKs after the restart"
dup=$(sort -u "$W/acks1.txt" "$W/acks2.txt" | awk '{print $1}' | uniq -d | head -5 | tr '\n' ' ')
[ -z "$dup" ] || fail "addresses ACKed to two clients: $dup"
if [ "$DHCP_SERVER" = agent ] && [ -z "${AGENT_HAS_LEASES_CLI:-}" ]; then dhcp_server_stop; fi
dhcp_leases > "$W/store2.txt"
dup=$(awk '$3=="bound" {print $1}' "$W/store2.txt" | sort | uniq -d | head -5 | tr '\n' ' ')
[ -z "$dup" ] || fail "addresses bound to two clients in the store: $dup"
dupm=$(awk '$3=="bound" {print $2}' "$W/store2.txt" | sort | uniq -d | head -5 | tr '\n' ' ')
[ -z "$dupm" ] || fail "clients holding two bound addresses: $dupm"
ok "$n2 ACKs after restart; no address ACKed to or bound to two clients"
echo "PASS t_dhcp_kill9 ($DHCP_SERVER)"
