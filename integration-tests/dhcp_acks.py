#!/usr/bin/env python3
"""Prints "YIADDR CHADDR" for every DHCPACK in a pcap file (tcpdump -w, Ethernet or Linux cooked
capture), standard library only. Usage: dhcp_acks.py FILE.pcap"""
import ipaddress, signal, struct, sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def packets(path):
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return
        magic = struct.unpack("<I", head[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        linktype = struct.unpack(endian + "I", head[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(endian + "IIII", rec)[2]
            data = f.read(incl)
            if len(data) < incl:
                return
            yield linktype, data


def ip_payload(linktype, data):
    if linktype == 1:  # Ethernet
        off, etype = 14, struct.unpack("!H", data[12:14])[0]
        while etype == 0x8100:
            etype = struct.unpack("!H", data[off + 2:off + 4])[0]
            off += 4
    elif linktype == 113:  # Linux cooked
        off, etype = 16, struct.unpack("!H", data[14:16])[0]
    else:
        return None
    return data[off:] if etype == 0x0800 else None


def acks(path):
    for lt, data in packets(path):
        ip = ip_payload(lt, data)
        if not ip or ip[9] != 17:
            continue
        udp = ip[(ip[0] & 15) * 4:]
        bootp = udp[8:]
        if len(bootp) < 240 or bootp[0] != 2 or bootp[236:240] != b"\x63\x82\x53\x63":
            continue
        i, mtype = 240, None
        while i < len(bootp):
            code = bootp[i]
            if code == 255:
                break
            if code == 0:
                i += 1
                continue
            ln = bootp[i + 1]
            if code == 53 and ln >= 1:
                mtype = bootp[i + 2]
            i += 2 + ln
        if mtype == 5:
            yi = str(ipaddress.ip_address(bootp[16:20]))
            ch = ":".join("%02x" % b for b in bootp[28:28 + min(bootp[2], 16)])
            yield yi, ch


if __name__ == "__main__":
    for yi, ch in acks(sys.argv[1]):
        print(yi, ch)
