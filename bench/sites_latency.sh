#!/bin/bash
# Sites DISCOVER-to-ACK latency through real OpenVPN 2.6 (issue 4 "Figures"; floor: median under
# 1 s). Topology of integration-tests/sites-lib.sh: the agent is the management client (client-auth)
# and DHCP server of a bridged TAP server; router-a and router-b bridge their tunnel TAP to LAN
# ports. SITES_DEVICES (default 20) new devices - each a fresh namespace and MAC, alternately behind
# router-a and router-b - run busybox udhcpc one after the other. tcpdump on each router's br-lan
# (the device side of the tunnel) timestamps the device's first DISCOVER and the ACK to its MAC;
# the latency includes OpenVPN's learn-address hook, both tunnel crossings and the agent's router
# resolution. Prints median, p90 and max, and how many devices needed more than one DISCOVER.
# It measures and prints; it asserts nothing.
IT_ID=${IT_ID:-sl$(printf '%03x' $((RANDOM % 4096)))}
. "$(dirname "$0")/../integration-tests/lib.sh"
. "$IT_ROOT/integration-tests/sites-lib.sh"
N=${SITES_DEVICES:-20}
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (network namespaces)" >&2; exit 1; }

sites_setup
sites_start_agent "$W/agent.log"
sites_start_server
sites_start_router a; sites_start_router b
sites_wait_router a; sites_wait_router b
for r in a b; do
  nsr=$([ $r = a ] && echo "$RA" || echo "$RB")
  bg ip netns exec "$nsr" tcpdump --immediate-mode -U -n -i br-lan -w "$W/lan-$r.pcap" udp port 67 or udp port 68 2> "$W/tcpdump-$r.log"
done
sleep 1
FAILED=0
for i in $(seq -w 1 "$N"); do
  r=$([ $((10#$i % 2)) = 1 ] && echo "$RA" || echo "$RB")
  sites_device "$r" "d$i"
  ip netns exec "$SITES_DEV" timeout 30 busybox udhcpc -i eth0 -n -q -f -t 10 -T 3 -s /bin/true > "$W/udhcpc-$i.log" 2>&1 \
    || FAILED=$((FAILED + 1))
done
sleep 1
for p in $(ip netns pids "$RA") $(ip netns pids "$RB"); do
  [ "$(cat /proc/"$p"/comm 2>/dev/null)" = tcpdump ] && kill -INT "$p"
done
sleep 1
kill "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null || true
python3 - "$W/lan-a.pcap" "$W/lan-b.pcap" "$N" "$FAILED" <<'PY'
import struct, sys, statistics
first_discover, ack, discovers = {}, {}, {}
for path in sys.argv[1:3]:
    data = open(path, "rb").read()
    if len(data) < 24:
        continue
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    nano = data[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        t = sec + frac / (1e9 if nano else 1e6)
        if len(pkt) < 14 + 20 + 8 + 240 or pkt[12:14] != b"\x08\x00":
            continue
        ihl = (pkt[14] & 0x0F) * 4
        bootp = pkt[14 + ihl + 8:]
        chaddr = bootp[28:34].hex(":")
        opts, i, mtype = bootp[240:], 0, None
        while i < len(opts) and opts[i] != 255:
            if opts[i] == 0:
                i += 1
                continue
            if opts[i] == 53:
                mtype = opts[i + 2]
            i += 2 + opts[i + 1]
        if mtype == 1:
            first_discover.setdefault(chaddr, t)
            discovers[chaddr] = discovers.get(chaddr, 0) + 1
        elif mtype == 5 and chaddr in first_discover:
            ack.setdefault(chaddr, t)
lat = sorted((ack[m] - first_discover[m]) * 1000 for m in ack)
n, failed = int(sys.argv[3]), int(sys.argv[4])
print("sites DISCOVER->ACK through real OpenVPN (%d devices, alternately behind router-a/router-b)" % n)
if not lat:
    print("  no complete exchange captured (devices without a lease: %d)" % failed)
    sys.exit(0)
def pct(p):
    return lat[max(0, min(len(lat) - 1, -(-int(p * len(lat) * 100) // 100) - 1))]
print("  median_ms=%.1f p90_ms=%.1f max_ms=%.1f min_ms=%.1f (floor: median < 1000 ms)" %
      (statistics.median(lat), pct(0.9), lat[-1], lat[0]))
print("  devices with an ACK: %d/%d; needing more than one DISCOVER: %d; udhcpc failures: %d" %
      (len(lat), n, sum(1 for m in ack if discovers.get(m, 0) > 1), failed))
PY
exit 0
