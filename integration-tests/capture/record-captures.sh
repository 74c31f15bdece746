#!/usr/bin/env bash
# Re-records the real DHCPv4 exchanges used as codec fixtures (src/test/resources/dhcp/captures).
#
# Runs as root. Builds two network namespaces joined by a veth pair, runs kea-dhcp4 (memfile,
# persist false, everything under a temp dir) in the server namespace, drives dhclient, udhcpc and
# dhcpcd through DORA / reboot / renew / release in the client namespace, captures each scenario
# with tcpdump -w in the server namespace and converts every DHCP packet (UDP payload) to one .hex
# file per exchange. Uses 198.18.200.0/24 only. Everything is torn down by a trap, also on failure.
#
# Usage: integration-tests/capture/record-captures.sh [OUTPUT_DIR]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../../src/test/resources/dhcp/captures}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SRV_NS=codec-cap-srv
CLI_NS=codec-cap-cli
SRV_IF=codec-cap-s0
CLI_IF=codec-cap-c0
CLI_MAC=02:c0:de:00:00:01
SRV_ADDR=198.18.200.1
W=$(mktemp -d /tmp/codec-capture.XXXXXX)
PIDS=()

cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  sleep 0.3
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done
  for n in "$CLI_NS" "$SRV_NS"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
  done
  rm -f /var/lib/dhcpcd/"$CLI_IF"*.lease /var/lib/dhcpcd/"$CLI_IF"*.lease6 2>/dev/null
  if [ "$rc" != 0 ]; then
    echo "record-captures: failed (rc=$rc); logs:" >&2
    for f in "$W"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }; done
  fi
  rm -rf "$W"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "record-captures: must run as root" >&2; exit 2; }
for t in kea-dhcp4 dhclient udhcpc dhcpcd tcpdump python3; do
  command -v "$t" >/dev/null || { echo "record-captures: $t not installed" >&2; exit 2; }
done

# first_line COMMAND...: the first line of COMMAND's output (no SIGPIPE under pipefail).
first_line() { { "$@" 2>&1 || true; } | sed -n 1p; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds or the deadline passes.
wait_for() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "record-captures: timed out waiting for: $*" >&2; return 1; }
    sleep 0.1
  done
}

# --- topology -------------------------------------------------------------------------------
for n in "$CLI_NS" "$SRV_NS"; do
  ip netns del "$n" 2>/dev/null || true
  ip netns add "$n"
  ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip -n "$SRV_NS" link add "$SRV_IF" type veth peer name "$CLI_IF" netns "$CLI_NS"
ip -n "$CLI_NS" link set "$CLI_IF" address "$CLI_MAC"
ip -n "$SRV_NS" addr add "$SRV_ADDR/24" dev "$SRV_IF"
ip -n "$SRV_NS" link set "$SRV_IF" up
ip -n "$CLI_NS" link set "$CLI_IF" up

# --- kea-dhcp4 --------------------------------------------------------------------------------
mkdir -p "$W/kea"
cat >"$W/kea/kea-dhcp4.conf" <<CONF
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$SRV_IF" ], "dhcp-socket-type": "raw" },
    "control-socket": { "socket-type": "unix", "socket-name": "$W/kea/ctrl.sock" },
    "lease-database": { "type": "memfile", "persist": false },
    "valid-lifetime": 120, "renew-timer": 60, "rebind-timer": 105,
    "authoritative": true,
    "subnet4": [ {
      "id": 1, "subnet": "198.18.200.0/24",
      "pools": [ { "pool": "198.18.200.100 - 198.18.200.150" } ],
      "option-data": [
        { "name": "routers", "data": "$SRV_ADDR" },
        { "name": "domain-name-servers", "data": "$SRV_ADDR" },
        { "name": "domain-name", "data": "codec.test" }
      ]
    } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                   "output_options": [ { "output": "$W/kea.log" } ] } ]
  }
}
CONF
KEA_LOCKFILE_DIR="$W/kea" KEA_PIDFILE_DIR="$W/kea" \
  ip netns exec "$SRV_NS" kea-dhcp4 -c "$W/kea/kea-dhcp4.conf" >"$W/kea-stdout.log" 2>&1 &
PIDS+=($!)
wait_for 10 grep -q DHCP4_STARTED "$W/kea.log"
KEA_VERSION="kea-dhcp4 $(kea-dhcp4 -v)"

# --- capture helpers --------------------------------------------------------------------------
CAP_PID=
cap_start() { # cap_start NAME
  rm -f "$W/$1.pcap"
  ip netns exec "$SRV_NS" tcpdump -U --immediate-mode -n -i "$SRV_IF" -w "$W/$1.pcap" 'udp and (port 67 or port 68)' \
    >"$W/tcpdump-$1.log" 2>&1 &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
  wait_for 5 grep -q 'listening on' "$W/tcpdump-$1.log"
}
cap_stop() { # cap_stop NAME CLIENT_VERSION SCENARIO
  sleep 0.5
  kill -INT "$CAP_PID"
  wait "$CAP_PID" 2>/dev/null || true
  python3 "$HERE/pcap2hex.py" "$W/$1.pcap" "$OUT/$1.hex" "$2" "$3" \
    "server $KEA_VERSION; tcpdump -w in the server namespace ($(first_line tcpdump --version))"
}
in_cli() { ip netns exec "$CLI_NS" "$@"; }
reset_cli() { in_cli ip addr flush dev "$CLI_IF"; }

# A client hook that only sets the address (never touches /etc/resolv.conf).
cat >"$W/hook.sh" <<'HOOK'
#!/bin/sh
# dhclient passes $reason/$new_ip_address; udhcpc passes $1/$ip.
iface=${interface:-$CODEC_IF}
case "${reason:-$1}" in
  BOUND|RENEW|REBIND|REBOOT|bound|renew)
    addr=${new_ip_address:-$ip}
    ip addr flush dev "$iface"
    ip addr add "$addr/24" dev "$iface" ;;
  EXPIRE|FAIL|RELEASE|STOP|deconfig)
    ip addr flush dev "$iface" ;;
esac
exit 0
HOOK
chmod +x "$W/hook.sh"
export CODEC_IF="$CLI_IF"

# --- dhclient (isc-dhcp-client) ---------------------------------------------------------------
DHCLIENT_VERSION="dhclient ($(first_line dhclient --version))"
DHC=(dhclient -4 -v -lf "$W/dhclient.leases" -pf "$W/dhclient.pid" -sf "$W/hook.sh" -cf /dev/null)

cap_start dhclient-dora
in_cli timeout 30 "${DHC[@]}" -1 "$CLI_IF" >"$W/dhclient-1.log" 2>&1
cap_stop dhclient-dora "$DHCLIENT_VERSION" "DORA: DISCOVER/OFFER/REQUEST/ACK (dhclient -1, empty lease file)"
in_cli kill "$(cat "$W/dhclient.pid")" 2>/dev/null || true
sleep 0.3

cap_start dhclient-reboot
in_cli timeout 30 "${DHC[@]}" -1 "$CLI_IF" >"$W/dhclient-2.log" 2>&1
cap_stop dhclient-reboot "$DHCLIENT_VERSION" "INIT-REBOOT renew: REQUEST (option 50, no option 54)/ACK (dhclient -1 again on the same lease file)"
in_cli kill "$(cat "$W/dhclient.pid")" 2>/dev/null || true
sleep 0.3

cap_start dhclient-release
in_cli timeout 30 "${DHC[@]}" -r "$CLI_IF" >"$W/dhclient-r.log" 2>&1
cap_stop dhclient-release "$DHCLIENT_VERSION" "RELEASE (dhclient -r on the same lease file)"
reset_cli

# --- udhcpc (busybox) -------------------------------------------------------------------------
UDHCPC_VERSION="udhcpc ($(first_line busybox))"
UDH=(udhcpc -f -i "$CLI_IF" -s "$W/hook.sh" -t 5 -T 2 -n -p "$W/udhcpc.pid")

cap_start udhcpc-dora
in_cli timeout 30 "${UDH[@]}" -q >"$W/udhcpc-1.log" 2>&1
cap_stop udhcpc-dora "$UDHCPC_VERSION" "DORA: DISCOVER/OFFER/REQUEST/ACK (udhcpc -q)"
reset_cli

rm -f "$W/udhcpc.pid"
in_cli timeout 60 "${UDH[@]}" >"$W/udhcpc-2.log" 2>&1 &
PIDS+=($!)
wait_for 15 in_cli sh -c "ip -4 addr show dev $CLI_IF | grep -q 198.18.200."
UPID=$(cat "$W/udhcpc.pid")   # signal udhcpc itself, not the timeout wrapper
PIDS+=("$UPID")
cap_start udhcpc-renew
kill -USR1 "$UPID"   # renew now: unicast REQUEST with ciaddr set (RENEWING)
sleep 2
cap_stop udhcpc-renew "$UDHCPC_VERSION" "RENEWING: unicast REQUEST (ciaddr set)/ACK (udhcpc, SIGUSR1)"
cap_start udhcpc-release
kill -USR2 "$UPID"   # release now
sleep 1
cap_stop udhcpc-release "$UDHCPC_VERSION" "RELEASE (udhcpc, SIGUSR2)"
kill "$UPID" 2>/dev/null || true
sleep 0.3
reset_cli

# --- dhcpcd -----------------------------------------------------------------------------------
DHCPCD_VERSION="$(first_line dhcpcd --version)"
cat >"$W/dhcpcd.conf" <<CONF
noipv6rs
noipv4ll
nohook resolv.conf
nohook timesyncd
nohook ntp
nohook hostname
CONF
cap_start dhcpcd-dora
in_cli timeout 40 dhcpcd -4 -B -f "$W/dhcpcd.conf" -c "$W/hook.sh" -t 20 -w "$CLI_IF" \
  >"$W/dhcpcd-1.log" 2>&1 &
DPID=$!
PIDS+=("$DPID")
wait_for 25 in_cli sh -c "ip -4 addr show dev $CLI_IF | grep -q 198.18.200."
cap_stop dhcpcd-dora "$DHCPCD_VERSION" "DORA: DISCOVER/OFFER/REQUEST/ACK (dhcpcd -4 -B, no lease file)"

cap_start dhcpcd-release
in_cli timeout 20 dhcpcd -4 -k -f "$W/dhcpcd.conf" "$CLI_IF" >"$W/dhcpcd-k.log" 2>&1 || true
wait "$DPID" 2>/dev/null || true
cap_stop dhcpcd-release "$DHCPCD_VERSION" "RELEASE (dhcpcd -k)"

echo "record-captures: wrote $(ls "$OUT"/*.hex | wc -l) files to $OUT"
