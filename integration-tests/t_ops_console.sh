#!/bin/bash
# The management console against a real OpenVPN 2.6 (openvpn-lib.sh) with the agent attached as
# its management client: an admin on the console socket runs OpenVPN commands (relayed through the
# agent's session, with OpenVPN's framing), kills a router (it reconnects and the agent admits it
# again), asks the agent's own questions (dhcp leases, dhcp stats, routers), is refused client-auth,
# and quits; the agent's management session stays up throughout (one connect, no reconnect).
IT_ID=${IT_ID:-ops$(printf '%02x' $((RANDOM % 256)))}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dhcp-lib.sh"
. "$(dirname "$0")/openvpn-lib.sh"
[ -c /dev/net/tun ] || fail "/dev/net/tun missing"
ovpn_keys server router-a
ovpn_server_ns
ovpn_router_ns router-a 1
ovpn_lan_device router-a lan1
ovpn_server_conf
ovpn_router_conf router-a
mkdir -p "$W/run" "$W/state"
CONSOLE=$W/run/site.console
CONF=$W/agent.json
cat > "$CONF" <<EOC
{"stateDir": "$W/state",
 "openvpn": {"configs": [{"config": "$W/server.conf", "name": "site", "console": "$CONSOLE",
                          "auth": {"allow": ["router-*"]}}]},
 "bridge": {"name": "br0", "address": "198.19.0.1/24"},
 "dhcp": {"enabled": true, "pool": {"start": "198.19.0.100", "end": "198.19.0.199"}, "leaseTime": "600s",
          "routers": ["198.19.0.1"]},
 "store": {"url": "jdbc:h2:file:$W/state/leases;WRITE_DELAY=0"},
 "control": {"socket": "$W/run/control.sock"},
 "metrics": {"listen": ""},
 "log": {"level": "info"}}
EOC
ovpn_start_server
agent_start "$OVPN_SRV" "$CONF" "$W/agent.log"
wait_for 30 grep -q 'event=mgmt_connected' "$W/agent.log" || fail "agent did not connect to OpenVPN's management"
wait_for 10 test -S "$CONSOLE" || fail "no console socket"
[ "$(stat -c %a "$CONSOLE")" = 660 ] || fail "console socket mode $(stat -c %a "$CONSOLE")"
ovpn_start_router router-a
ovpn_wait_router router-a 30
grep -q 'event=auth_answer.*cn=router-a.*decision=allow\|event=auth_answer.*cn=router-a' "$W/agent.log" || fail "agent did not answer router-a's CONNECT"
udhcpc_start "${OVPN_LAN[lan1]}" eth0 lan1
wait_for 30 has_event lan1 '^bound [0-9]' || fail "LAN device got no lease: $(cat "$W/lan1.log")"
IP=$(addr_of "${OVPN_LAN[lan1]}" eth0); MAC=$(mac_of "${OVPN_LAN[lan1]}" eth0)
ok "router-a admitted by the agent; lan1 $MAC got $IP"

N=0
# console CMD...: one admin session sending the lines, then quit; output (CR removed) in $W/c$N.out
console() {
  N=$((N + 1))
  { printf '%s\n' "$@"; printf 'quit\n'; } | timeout 20 socat -t 15 - "UNIX-CONNECT:$CONSOLE" | tr -d '\r' > "$W/c$N.out" \
    || fail "console session failed: $*"
  OUT=$W/c$N.out
}
has() { grep -Eq -- "$1" "$OUT" || fail "console output for '$2' lacks /$1/: $(cat "$OUT")"; }

console status\ 3
has "^>INFO:ovpn-agent console for instance site -- type 'help'$" greeting
has $'^TITLE\tOpenVPN 2\\.6' "status 3"
has $'^CLIENT_LIST\trouter-a\t198\\.18\\.1\\.2:[0-9]+\t' "status 3"
has $'^ROUTING_TABLE\t'"$MAC"$'@0\trouter-a' "status 3"
[ "$(tail -n1 "$OUT")" = END ] || fail "status 3 does not end with END: $(tail -n 3 "$OUT")"
ok "status 3 relayed (CLIENT_LIST router-a, ROUTING_TABLE $MAC)"

console state version "log 5" load-stats
has '^[0-9]{10},CONNECTED,SUCCESS,' state
has '^OpenVPN Version: OpenVPN 2\.6' version
has '^Management Version: 5$' version
has '^SUCCESS: nclients=1,' load-stats
python3 - "$OUT" <<'PY' || fail "framing of state/version/log 5: $(cat "$OUT")"
import re, sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l]
body = [l for l in lines if not l.startswith(">INFO:")]
# state: 1 line + END; version: 2..3 lines + END; log 5: <= 5 log lines + END; load-stats: 1 line
ends = [i for i, l in enumerate(body) if l == "END"]
assert len(ends) == 3, ends
state, version, log = body[:ends[0]], body[ends[0]+1:ends[1]], body[ends[1]+1:ends[2]]
assert len(state) == 1, state
assert any(l.startswith("Management Version:") for l in version), version
assert 1 <= len(log) <= 5 and all(re.match(r"^\d{10},[A-Z]*,", l) for l in log), log
assert body[ends[2]+1:] and body[ends[2]+1].startswith("SUCCESS: nclients="), body[ends[2]+1:]
assert not any(l.startswith(">") for l in body), "notification leaked into the admin's replies"
PY
ok "state, version, log 5, load-stats relayed with OpenVPN's framing"

console "dhcp leases" "dhcp stats" routers
has $'^LEASE\t'"$IP"$'\t'"$MAC"$'\t[^\t]*\tbound' "dhcp leases"
python3 - "$OUT" <<'PY' || fail "dhcp stats/routers: $(cat "$OUT")"
import sys
body = [l for l in open(sys.argv[1]).read().split("\n") if l and not l.startswith(">INFO:")]
ends = [i for i, l in enumerate(body) if l == "END"]
assert len(ends) == 3, body
stats = dict(l.split("\t")[1:3] for l in body[ends[0]+1:ends[1]] if l.startswith("STAT\t"))
assert int(stats["dhcp4.received.discover"]) >= 1 and int(stats["dhcp4.sent.ack"]) >= 1, stats
routers = body[ends[1]+1:ends[2]]
assert routers[0].startswith("HEADER\tROUTER\t"), routers
assert any("router-a" in l for l in routers[1:]), routers
PY
ok "dhcp leases ($IP $MAC), dhcp stats, routers answered by the agent"

before=$(grep -c 'Initialization Sequence Completed' "$W/openvpn-router-a.log")
console "client-auth 0 1" "client-deny 0 1 x" "hold release" "version 3" "log on" "kill router-a"
has '^ERROR: command refused by ovpn-agent: client-auth' client-auth
has '^ERROR: command refused by ovpn-agent: client-deny' client-deny
has '^ERROR: command refused by ovpn-agent: hold release' "hold release"
has '^ERROR: command refused by ovpn-agent: version 3' "version 3"
has '^ERROR: command refused by ovpn-agent: log on' "log on"
has "^SUCCESS: common name 'router-a' found, 1 client\\(s\\) killed$" "kill router-a"
reconnected() { [ "$(grep -c 'Initialization Sequence Completed' "$W/openvpn-router-a.log")" -gt "$before" ]; }
wait_for 40 reconnected || fail "router-a did not reconnect after kill: $(tail -n 20 "$W/openvpn-router-a.log")"
admitted() { [ "$(grep -c 'event=auth_answer.*cn=router-a' "$W/agent.log")" -ge 2 ]; }
wait_for 10 admitted || fail "agent did not admit router-a again: $(grep auth_ "$W/agent.log" | tail -n 5)"
ok "client-auth etc. refused; kill router-a relayed, router-a reconnected and was admitted again"

# quit closes only the admin's connection: socat ends well before its 15 s linger
t0=$(date +%s)
printf 'quit\nstate\n' | timeout 20 socat -t 15 - "UNIX-CONNECT:$CONSOLE" | tr -d '\r' > "$W/quit.out"
[ $(( $(date +%s) - t0 )) -lt 10 ] || fail "quit did not close the console connection"
grep -q '^END' "$W/quit.out" && fail "a line after quit was answered: $(cat "$W/quit.out")"
# several admins at once, serialized
PARA=()
for i in 1 2 3; do
  ( for j in $(seq 10); do echo "status 3"; done; echo quit ) | timeout 30 socat -t 20 - "UNIX-CONNECT:$CONSOLE" | tr -d '\r' > "$W/para$i.out" &
  PARA+=("$!")
done
wait "${PARA[@]}"
for i in 1 2 3; do
  [ "$(grep -c '^END$' "$W/para$i.out")" = 10 ] || fail "admin $i got $(grep -c '^END$' "$W/para$i.out") of 10 status replies"
  [ "$(grep -c $'^TITLE\t' "$W/para$i.out")" = 10 ] || fail "admin $i: replies interleaved"
done
ok "quit closes only the console connection; 3 admins x 10 status 3 each answered in order"

console help
has '^Management Interface for OpenVPN' help
has '^dhcp leases +: ' help
[ "$(tail -n1 "$OUT")" = END ] || fail "help does not end with END"
ok "help: OpenVPN's text plus the agent's commands, one END"

# the console has the control socket's permission model: a non-root user outside the group is
# refused by SO_PEERCRED even when the file mode is loosened
USR=opsu$IT_ID
useradd -r -M -N -g nogroup -s /usr/sbin/nologin "$USR"
trap 'rc=$?; set +e; userdel "$USR" 2>/dev/null || true; (exit $rc); it_cleanup' EXIT
chmod 755 "$W" "$W/run"
out=$(printf 'state\n' | runuser -u "$USR" -- socat -t 5 - "UNIX-CONNECT:$CONSOLE" 2>&1) && fail "$USR connected to a 0660 console: $out"
chmod 666 "$CONSOLE"
out=$(printf 'state\n' | runuser -u "$USR" -- timeout 10 socat -t 5 - "UNIX-CONNECT:$CONSOLE" 2>&1 | tr -d '\r') || true
[ "$out" = "ERROR: permission denied: user $USR is not allowed (needs root)" ] || fail "console did not refuse $USR: $out"
chmod 660 "$CONSOLE"
userdel "$USR"
ok "console refuses a non-root user outside the group (file mode, then SO_PEERCRED)"

"$AGENT" instances --json --config "$CONF" > "$W/inst.json" || fail "instances failed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); i=d["arguments"]["instances"][0]; sys.exit(0 if i["connection"]=="connected" and i["clients"]==1 else 1)' "$W/inst.json" \
  || fail "agent's management session unhealthy: $(cat "$W/inst.json")"
[ "$(grep -c 'event=mgmt_connected' "$W/agent.log")" = 1 ] || fail "the agent's management session reconnected: $(grep event=mgmt_ "$W/agent.log")"
grep -q 'event=console_command_refused.*command=client-auth' "$W/agent.log" || fail "refusal not logged"
ok "the agent's management session is still connected (no reconnect), 1 client"
echo "PASS t_ops_console"
