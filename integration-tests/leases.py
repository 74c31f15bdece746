#!/usr/bin/env python3
"""Normalises a DHCP server's lease store to lines "IP MAC STATE" (standard library only).

  leases.py kea FILE.csv        Kea memfile CSV (append-only: the last row per address wins,
                                valid_lifetime 0 = deleted, state 0/1/2 = bound/declined/expired)
  leases.py agent-json FILE     output of `ovpn-agent leases --json` (a list, or {"leases": [...]})
  leases.py h2-csv FILE         CSVWRITE of the agent's H2 lease table (columns found by name)
"""
import csv, ipaddress, json, signal, sys, time

signal.signal(signal.SIGPIPE, signal.SIG_DFL)

STATES = {"0": "bound", "1": "declined", "2": "expired"}


def ip_text(v):
    v = str(v).strip()
    if v.lstrip("-").isdigit():
        return str(ipaddress.ip_address(int(v) & 0xFFFFFFFF))
    return v


def mac_text(v):
    v = str(v).strip().lower()
    if ":" not in v and len(v) == 12:
        v = ":".join(v[i:i + 2] for i in range(0, 12, 2))
    return v.split("@")[0]


def pick(row, *names):
    low = {k.lower().replace("_", "").replace("-", ""): k for k in row}
    for n in names:
        if n in low:
            return row[low[n]]
    raise KeyError("none of %s in columns %s" % (names, list(row)))


def kea(path):
    last = {}
    try:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                last[row["address"]] = row
    except FileNotFoundError:
        return
    now = time.time()
    for ip, r in last.items():
        if int(r["valid_lifetime"]) == 0:
            continue
        st = STATES.get(r["state"], r["state"])
        if st == "bound" and int(r["expire"]) < now:
            st = "expired"
        yield ip, mac_text(r["hwaddr"]), st


def generic(rows):
    for r in rows:
        st = str(pick(r, "state", "status")).strip().lower()
        st = STATES.get(st, st)
        yield (ip_text(pick(r, "ip", "address", "ipaddress", "addr")),
               mac_text(pick(r, "mac", "hwaddr", "hwaddress", "chaddr", "macaddress")), st)


def find_leases(data):
    """The first list found under a "leases" key (also inside Kea-style {"arguments": ...} or a list
    of responses), or the data itself when it is already a list of lease objects."""
    if isinstance(data, dict):
        if isinstance(data.get("leases"), list):
            return data["leases"]
        for v in data.values():
            found = find_leases(v)
            if found is not None:
                return found
    elif isinstance(data, list):
        if all(isinstance(x, dict) and "leases" not in x and "arguments" not in x for x in data):
            return data
        for v in data:
            found = find_leases(v)
            if found is not None:
                return found
    return None


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "kea":
        out = kea(path)
    elif kind == "agent-json":
        with open(path) as f:
            data = json.load(f)
        out = generic(find_leases(data) or [])
    elif kind == "h2-csv":
        with open(path, newline="") as f:
            out = list(generic(csv.DictReader(f)))
    else:
        sys.exit("unknown kind " + kind)
    for ip, mac, st in out:
        print(ip, mac, st)


if __name__ == "__main__":
    main()
