#!/usr/bin/env python3
"""Time to first OFFER: sends a relayed DHCPDISCOVER (giaddr = GIADDR, like perfdhcp) as a broadcast
out of IFACE every 10 ms until an OFFER arrives on port 67, then prints the seconds since T0 (a
time.time() value taken just before the server was started). Standard library only.
Usage: first_offer.py IFACE GIADDR T0 TIMEOUT_S"""
import os, select, socket, struct, sys, time

iface, giaddr, t0, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, 25, iface.encode() + b"\0")  # SO_BINDTODEVICE
s.bind(("0.0.0.0", 67))
xid = struct.unpack("I", os.urandom(4))[0]
mac = b"\x02\x99" + os.urandom(4)
pkt = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 1, xid, 0, 0, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                  socket.inet_aton(giaddr), mac + b"\0" * 10, b"", b"")
pkt += b"\x63\x82\x53\x63" + bytes([53, 1, 1, 255]) + b"\0" * 56
deadline = time.time() + timeout
while time.time() < deadline:
    s.sendto(pkt, ("255.255.255.255", 67))
    end = time.time() + 0.01
    while True:
        left = end - time.time()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            break
        data = s.recv(2048)
        if len(data) >= 244 and data[0] == 2 and data[4:8] == pkt[4:8] and b"\x35\x01\x02" in data[240:]:
            print("%.3f" % (time.time() - t0))
            sys.exit(0)
print("timeout")
sys.exit(1)
