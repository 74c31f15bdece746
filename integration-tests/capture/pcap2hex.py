#!/usr/bin/env python3
"""Converts a tcpdump -w capture of one DHCPv4 exchange into a codec fixture (.hex).

Usage: pcap2hex.py IN.pcap OUT.hex CLIENT SCENARIO TOOL

The output starts with '#' header lines (client, scenario, capture tool, date), then one block per
DHCP packet: a comment naming direction and message type, then the UDP payload in hex, 32 bytes a
line. Only Ethernet (linktype 1) captures of IPv4/UDP port 67/68 are read.
"""
import datetime
import struct
import sys

TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK",
         7: "RELEASE", 8: "INFORM"}


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != 1:
        raise SystemExit("unsupported linktype %d" % linktype)
    pos = 24
    while pos + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        if len(frame) < 14 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 17:
            continue
        total = struct.unpack(">H", ip[2:4])[0]
        udp = ip[ihl:total]
        sport, dport, ulen = struct.unpack(">HHH", udp[:6])
        yield sport, dport, udp[8:ulen]


def message_type(p):
    """Finds option 53 in the options area (enough for labelling; the codec does the real parse)."""
    i = 240
    while i < len(p):
        code = p[i]
        if code == 0:
            i += 1
            continue
        if code == 255 or i + 1 >= len(p):
            break
        if code == 53 and p[i + 1] == 1:
            return TYPES.get(p[i + 2], "type-%d" % p[i + 2])
        i += 2 + p[i + 1]
    return "BOOTP"


def main():
    src, dst, client, scenario, tool = sys.argv[1:6]
    blocks = []
    for sport, dport, payload in packets(src):
        if dport == 67 and sport == 68:
            direction = "client->server"
        elif sport == 67 and dport == 68:
            direction = "server->client"
        else:
            direction = "port %d->%d" % (sport, dport)
        blocks.append((direction, message_type(payload), payload))
    if not blocks:
        raise SystemExit("no DHCP packets in " + src)
    with open(dst, "w") as out:
        out.write("# client: %s\n" % client)
        out.write("# scenario: %s\n" % scenario)
        out.write("# capture: %s\n" % tool)
        out.write("# converted: integration-tests/capture/pcap2hex.py (UDP payload only)\n")
        out.write("# date: %s\n" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        out.write("# network: 198.18.200.0/24, server 198.18.200.1, client MAC 02:c0:de:00:00:01\n")
        for direction, mtype, payload in blocks:
            out.write("\n# %s DHCP%s (%d bytes)\n" % (direction, mtype, len(payload)))
            h = payload.hex()
            for i in range(0, len(h), 64):
                out.write(h[i:i + 64] + "\n")


main()
