# Real OpenVPN 2.6 in network namespaces (openvpn.md §8). Source after lib.sh.
#
# Address plan: underlay 198.18.N.0/24 between the server ns and router N (.1 server, .2 router);
# bridged segment 198.19.0.0/24 on br0 in the server ns (.1 = bridge / DHCP server).
# Keys: self-signed EC certs, no CA; peers are pinned by SHA-256 fingerprint (OpenVPN >= 2.6).
#
#   ovpn_keys NAME...                 key + cert per name in $W/keys (CN = NAME); ovpn_fp NAME
#   ovpn_server_ns                    sets OVPN_SRV: ns with br0 198.19.0.1/24 and tap0 in br0
#   ovpn_router_ns NAME N             sets OVPN_RNS[NAME]: router ns, underlay 198.18.N.0/24 to the
#                                     server ns, tap0 + lan ports in br-lan
#   ovpn_lan_device ROUTER DEV        sets OVPN_LAN[DEV]: a ns whose eth0 is a port of ROUTER's br-lan
#   ovpn_server_conf [EXTRA_LINES]    writes $W/server.conf (bridged TAP, management-client-auth,
#                                     management on $OVPN_MGMT (unix socket), routers' fingerprints)
#   ovpn_router_conf NAME             writes $W/NAME.conf
#   ovpn_start_server / ovpn_start_router NAME   start (daemon, pid file) and register for cleanup
#   ovpn_wait_router NAME [SECS]      waits for "Initialization Sequence Completed"
#   ovpn_signal_server SIG            kill -SIG the server (HUP: restart; TERM: stop); ovpn_stop NAME
#   OVPN_MGMT_PW=1                    before ovpn_server_conf: management asks for $W/mgmt.pw ("secret")
#   mgmt_stub_start                   a stand-in management client (socat + bash): answers each
#                                     >CLIENT:CONNECT / REAUTH with client-auth CID KID / END;
#                                     everything it reads is in $W/mgmt-stub.log
OVPN_MGMT="$W/mgmt.sock"
OVPN_ROUTERS=()
declare -A OVPN_RNS OVPN_LAN OVPN_RN
mkdir -p "$W/keys"

ovpn_keys() {
  local n
  for n in "$@"; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 30 \
      -subj "/CN=$n" -keyout "$W/keys/$n.key" -out "$W/keys/$n.crt" > "$W/keys/$n.log" 2>&1 \
      || fail "openssl req for $n failed: $(cat "$W/keys/$n.log")"
  done
}
ovpn_fp() { openssl x509 -in "$W/keys/$1.crt" -noout -fingerprint -sha256 | cut -d= -f2; }

ovpn_server_ns() {
  OVPN_SRV=$(ns srv)
  ip -n "$OVPN_SRV" link add br0 type bridge
  ip -n "$OVPN_SRV" tuntap add dev tap0 mode tap
  ip -n "$OVPN_SRV" link set tap0 master br0
  ip -n "$OVPN_SRV" addr add 198.19.0.1/24 dev br0
  ip -n "$OVPN_SRV" link set br0 up
  ip -n "$OVPN_SRV" link set tap0 up
}

ovpn_router_ns() {
  local name=$1 n=$2 r
  r=$(ns "$name")
  OVPN_RNS[$name]=$r; OVPN_RN[$name]=$n
  OVPN_ROUTERS+=("$name")
  veth "$OVPN_SRV" "ul-$n" "$r" ul0
  ip -n "$OVPN_SRV" addr add "198.18.$n.1/24" dev "ul-$n"
  ip -n "$r" addr add "198.18.$n.2/24" dev ul0
  ip -n "$r" tuntap add dev tap0 mode tap
  ip -n "$r" link add br-lan type bridge
  ip -n "$r" link set tap0 master br-lan
  ip -n "$r" link set br-lan up
  ip -n "$r" link set tap0 up
}

ovpn_lan_device() {
  local router=$1 dev=$2 r=${OVPN_RNS[$1]} d
  d=$(ns "$dev")
  OVPN_LAN[$dev]=$d
  local port="l-$dev"
  veth "$r" "${port:0:15}" "$d" eth0
  ip -n "$r" link set "${port:0:15}" master br-lan
}

ovpn_server_conf() {
  if [ -n "${OVPN_MGMT_PW:-}" ]; then echo secret > "$W/mgmt.pw"; chmod 600 "$W/mgmt.pw"; fi
  cat > "$W/learn.sh" <<EOS
#!/bin/sh
echo "\$* \${common_name:-}" >> "$W/learn.log"
exit 0
EOS
  chmod 755 "$W/learn.sh"
  {
    cat <<EOC
dev tap0
dev-type tap
proto udp
port 1194
tls-server
cert $W/keys/server.crt
key $W/keys/server.key
dh none
server-bridge
management $OVPN_MGMT unix${OVPN_MGMT_PW:+ $W/mgmt.pw}
management-client-auth
auth-user-pass-optional
script-security 2
learn-address $W/learn.sh
keepalive 5 30
writepid $W/server.pid
log $W/openvpn-server.log
verb 3
EOC
    echo "<peer-fingerprint>"
    for r in "${OVPN_ROUTERS[@]}"; do ovpn_fp "$r"; done
    echo "</peer-fingerprint>"
    printf '%s\n' "${1:-}"
  } > "$W/server.conf"
}

ovpn_router_conf() {
  local name=$1 n=${OVPN_RN[$1]}
  cat > "$W/$name.conf" <<EOC
client
dev tap0
dev-type tap
proto udp
remote 198.18.$n.1 1194
nobind
cert $W/keys/$name.crt
key $W/keys/$name.key
peer-fingerprint $(ovpn_fp server)
auth-retry nointeract
connect-retry 2 2
writepid $W/$name.pid
log $W/openvpn-$name.log
verb 3
EOC
}

_ovpn_pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

ovpn_start_server() {
  ip netns exec "$OVPN_SRV" openvpn --cd "$W" --config "$W/server.conf" --daemon \
    || fail "openvpn server failed to start: $(tail -n 20 "$W/openvpn-server.log")"
  wait_for 10 _ovpn_pid_alive "$W/server.pid" || fail "openvpn server not running: $(tail -n 20 "$W/openvpn-server.log")"
  IT_PIDS+=("$(cat "$W/server.pid")")
  wait_for 10 test -S "$OVPN_MGMT" || fail "openvpn management socket $OVPN_MGMT missing"
}

ovpn_start_router() {
  local name=$1
  ip netns exec "${OVPN_RNS[$name]}" openvpn --cd "$W" --config "$W/$name.conf" --daemon \
    || fail "openvpn $name failed to start"
  wait_for 10 _ovpn_pid_alive "$W/$name.pid" || fail "openvpn $name not running: $(tail -n 20 "$W/openvpn-$name.log")"
  IT_PIDS+=("$(cat "$W/$name.pid")")
}

ovpn_wait_router() {
  wait_for "${2:-30}" grep -q 'Initialization Sequence Completed' "$W/openvpn-$1.log" \
    || fail "router $1 did not connect: $(tail -n 20 "$W/openvpn-$1.log"; echo; tail -n 20 "$W/openvpn-server.log")"
}

ovpn_signal_server() { kill -"$1" "$(cat "$W/server.pid")"; }

# ovpn_stop NAME: stops server (NAME=server) or a router and waits until it has exited.
ovpn_stop() {
  local pid; pid=$(cat "$W/$1.pid")
  kill "$pid" 2>/dev/null || true
  wait_for 15 bash -c "! kill -0 $pid 2>/dev/null" || fail "openvpn $1 (pid $pid) did not exit"
}

mgmt_stub_start() {
  cat > "$W/mgmt-stub.sh" <<'EOS'
#!/bin/bash
# stand-in management client: stdin = management output, stdout = commands
# the password prompt has no newline, so the password is sent up front
[ -n "${STUB_PW:-}" ] && echo "$STUB_PW"
pending=""
while IFS= read -r line; do
  line=${line%$'\r'}
  echo "$line" >> "$STUB_LOG"
  case "$line" in
    '>CLIENT:CONNECT,'*|'>CLIENT:REAUTH,'*)
      IFS=, read -r _ cid kid _ <<< "$line"; pending="$cid $kid" ;;
    '>CLIENT:ENV,END')
      if [ -n "$pending" ]; then
        set -- $pending
        printf 'client-auth %s %s\nEND\n' "$1" "$2"
        echo "-> client-auth $1 $2" >> "$STUB_LOG"
        pending=""
      fi ;;
  esac
done
EOS
  : > "$W/mgmt-stub.log"
  STUB_PW=${OVPN_MGMT_PW:+secret} STUB_LOG="$W/mgmt-stub.log" socat "UNIX-CONNECT:$OVPN_MGMT" "EXEC:bash $W/mgmt-stub.sh" 2> "$W/mgmt-stub.err" &
  MGMT_STUB_PID=$!
  IT_PIDS+=("$MGMT_STUB_PID")
  wait_for 10 grep -q '^>INFO:OpenVPN Management Interface' "$W/mgmt-stub.log" \
    || fail "management stub did not connect: $(cat "$W/mgmt-stub.err")"
}

# --- routed TUN instances and the agent as management client (t_openvpn_routed.sh, t_openvpn_bridged_auth.sh)
#   ovpn_client_ns NAME N             like ovpn_router_ns, underlay only (a TUN laptop needs no bridge)
#   ovpn_routed_server_conf [EXTRA]   writes $W/server.conf: dev tun, topology subnet,
#                                     server 198.19.128.0/24, management-client-auth (+ $W/mgmt.pw
#                                     with OVPN_MGMT_PW=1), clients' fingerprints, log-append
#   ovpn_tun_client_conf NAME [EXTRA] writes $W/NAME.conf: dev tun client, log-append
#   ovpn_inits NAME                   how many times NAME logged "Initialization Sequence Completed"
#   ovpn_wait_inits NAME COUNT [SECS] waits until that count reaches COUNT
#   ovpn_tun_addr NS [DEV]            the IPv4 address (no prefix) on DEV (tun0) in NS, or nothing
#   agent_stop                        SIGTERM the agent started by agent_start and wait for its exit
#   agent_cli CONFIG CMD...           bin/ovpn-agent CMD --config CONFIG ...
ovpn_client_ns() {
  local name=$1 n=$2 r
  r=$(ns "$name")
  OVPN_RNS[$name]=$r; OVPN_RN[$name]=$n
  OVPN_ROUTERS+=("$name")
  veth "$OVPN_SRV" "ul-$n" "$r" ul0
  ip -n "$OVPN_SRV" addr add "198.18.$n.1/24" dev "ul-$n"
  ip -n "$r" addr add "198.18.$n.2/24" dev ul0
}

ovpn_routed_server_conf() {
  if [ -n "${OVPN_MGMT_PW:-}" ]; then echo secret > "$W/mgmt.pw"; chmod 600 "$W/mgmt.pw"; fi
  {
    cat <<EOC
dev tun
topology subnet
server 198.19.128.0 255.255.255.0
proto udp
port 1194
cert $W/keys/server.crt
key $W/keys/server.key
dh none
management $OVPN_MGMT unix${OVPN_MGMT_PW:+ $W/mgmt.pw}
management-client-auth
auth-user-pass-optional
hand-window 10
keepalive 2 10
explicit-exit-notify 1
writepid $W/server.pid
log-append $W/openvpn-server.log
verb 3
EOC
    echo "<peer-fingerprint>"
    for r in "${OVPN_ROUTERS[@]}"; do ovpn_fp "$r"; done
    echo "</peer-fingerprint>"
    printf '%s\n' "${1:-}"
  } > "$W/server.conf"
}

ovpn_tun_client_conf() {
  local name=$1 n=${OVPN_RN[$1]}
  {
    cat <<EOC
client
dev tun
proto udp
remote 198.18.$n.1 1194
nobind
cert $W/keys/$name.crt
key $W/keys/$name.key
peer-fingerprint $(ovpn_fp server)
auth-retry nointeract
connect-retry 1 2
hand-window 10
explicit-exit-notify 1
writepid $W/$name.pid
log-append $W/openvpn-$name.log
verb 3
EOC
    printf '%s\n' "${2:-}"
  } > "$W/$name.conf"
}

ovpn_inits() { grep -c 'Initialization Sequence Completed' "$W/openvpn-$1.log" 2>/dev/null || true; }
_ovpn_inits_ge() { [ "$(ovpn_inits "$1")" -ge "$2" ]; }
ovpn_wait_inits() {
  wait_for "${3:-30}" _ovpn_inits_ge "$1" "$2" \
    || fail "$1 did not complete connection #$2: $(tail -n 20 "$W/openvpn-$1.log"; echo; tail -n 20 "$W/openvpn-server.log")"
}

ovpn_tun_addr() {
  ip -n "$1" -4 -o addr show dev "${2:-tun0}" 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n 1
}

agent_stop() {
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  wait_for 20 bash -c "! kill -0 $AGENT_PID 2>/dev/null" || fail "agent (pid $AGENT_PID) did not exit on SIGTERM"
  wait "$AGENT_PID" 2>/dev/null || true
}

agent_cli() { local c=$1; shift; "$AGENT" "$1" --config "$c" "${@:2}"; }
