# DHCP helpers for end-to-end scenarios: a server under test chosen by $DHCP_SERVER and real
# clients (dhclient, udhcpc, dhcpcd) that never touch the host's files. Source after lib.sh.
#
#   DHCP_SERVER=agent (default)  bin/ovpn-agent run --config <generated JSON>
#   DHCP_SERVER=kea              kea-dhcp4 with an equivalent memfile config (persist=true)
#
# Server API (one server per scenario; state kept under $DS_DIR so a restart keeps leases):
#   dhcp_server_config IFACE ADDR/PREFIX POOL_START POOL_END LEASE_SECS [EXTRA_KEA_JSON]
#   dhcp_server_start NS      start (waits until port 67 is bound), sets DS_PID
#   dhcp_server_stop          SIGTERM and wait for exit
#   dhcp_server_kill9         SIGKILL
#   dhcp_server_wipe          forget every lease (fresh store)
#   dhcp_leases               prints the store as lines "IP MAC STATE" (STATE: bound, declined,
#                             released, expired, offered, or the raw value). Agent: through
#                             `ovpn-agent leases --json` while it runs (scenarios use that when
#                             AGENT_HAS_LEASES_CLI=1), else offline from H2 ($H2_JAR, table
#                             $H2_LEASE_TABLE, default lease) after dhcp_server_stop.
#
# Topology API:
#   server_bridge             namespace $SRV with bridge br0 198.19.0.1/24 up
#   bridge_client NAME        a namespace NAME whose eth0 is a port (p-NAME) of br0; prints its name
DHCP_SERVER=${DHCP_SERVER:-agent}
case "$DHCP_SERVER" in agent|kea) ;; *) fail "DHCP_SERVER must be agent or kea, not $DHCP_SERVER" ;; esac
DS_DIR=${DS_DIR:-$W/server}
DS_PID=""
DS_NS=""
DS_N=0
H2_JAR=${H2_JAR:-$IT_ROOT/target/lib/h2-2.5.252.jar}
mkdir -p "$DS_DIR"

server_bridge() {
  SRV=$(ns srv)
  ip -n "$SRV" link add br0 type bridge
  ip -n "$SRV" addr add 198.19.0.1/24 dev br0
  ip -n "$SRV" link set br0 up
}

bridge_client() {
  local n; n=$(ns "$1")
  veth "$SRV" "p-$1" "$n" eth0
  ip -n "$SRV" link set "p-$1" master br0
  echo "$n"
}

# Writes the minimal bridged-TAP OpenVPN server config the agent needs to decide to serve DHCP.
_ds_ovpn_conf() {
  cat > "$DS_DIR/server.conf" <<EOC
dev tap0
dev-type tap
proto udp
port 1194
server-bridge
management $DS_DIR/mgmt.sock unix
management-client-auth
auth-user-pass-optional
EOC
}

dhcp_server_config() {
  local iface=$1 addr=$2 pstart=$3 pend=$4 lease=$5 extra=${6:-}
  DS_IFACE=$iface; DS_ADDR=$addr
  local net gw=${addr%/*}
  net=$(python3 -c "import ipaddress,sys;print(ipaddress.ip_interface(sys.argv[1]).network)" "$addr")
  if [ "$DHCP_SERVER" = agent ]; then
    _ds_ovpn_conf
    DS_CONF="$DS_DIR/agent.json"
    cat > "$DS_CONF" <<EOC
{"stateDir": "$DS_DIR",
 "openvpn": {"configs": ["$DS_DIR/server.conf"]},
 "bridge": {"name": "$iface", "address": "$addr"},
 "dhcp": {"enabled": true, "pool": {"start": "$pstart", "end": "$pend"}, "leaseTime": "${lease}s",
          "routers": ["$gw"], "declineProbation": "10m", "declineLimit": "3/1h", "flapWindow": "${DS_FLAP_WINDOW:-1s}"},
 "store": {"url": "jdbc:h2:file:$DS_DIR/leases;WRITE_DELAY=0${DS_STORE_URL_EXTRA:-}"},
 "control": {"socket": "$DS_DIR/control.sock"},
 "metrics": {"listen": "${DS_METRICS_LISTEN:-}"},
 "log": {"level": "${AGENT_LOG_LEVEL:-info}"}}
EOC
  else
    DS_CONF="$DS_DIR/kea.json"
    cat > "$DS_CONF" <<EOC
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["$iface"], "dhcp-socket-type": "${KEA_SOCKET_TYPE:-raw}"},
  "lease-database": {"type": "memfile", "persist": true, "name": "$DS_DIR/leases.csv", "lfc-interval": 0},
  "valid-lifetime": $lease, "renew-timer": $((lease / 2)), "rebind-timer": $((lease * 7 / 8)),
  "decline-probation-period": 600,
  "subnet4": [{"id": 1, "subnet": "$net", "pools": [{"pool": "$pstart - $pend"}],
               "option-data": [{"name": "routers", "data": "$gw"}]}],
  ${extra:+$extra,}
  "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}], "severity": "${KEA_LOG_SEVERITY:-INFO}"}]
}}
EOC
  fi
}

_ds_port67_bound() { [ -n "$(ip netns exec "$DS_NS" ss -Hlun 'sport = :67' 2>/dev/null)" ]; }

dhcp_server_start() {
  DS_NS=$1
  DS_N=$((DS_N + 1))
  DS_LOG="$W/server-$DS_N.log"
  if [ "$DHCP_SERVER" = agent ]; then
    [ -x "$AGENT" ] || fail "agent launcher $AGENT missing (run make build)"
    ip netns exec "$DS_NS" "$AGENT" run --config "$DS_CONF" > "$DS_LOG" 2>&1 &
  else
    KEA_PIDFILE_DIR="$DS_DIR" KEA_LOCKFILE_DIR="$DS_DIR" KEA_LOGGER_DESTINATION=stdout \
      ip netns exec "$DS_NS" kea-dhcp4 -c "$DS_CONF" > "$DS_LOG" 2>&1 &
  fi
  DS_PID=$!
  IT_PIDS+=("$DS_PID")
  wait_for 30 _ds_port67_bound || { kill -0 "$DS_PID" 2>/dev/null || fail "server exited at start; see $DS_LOG"; fail "server did not bind port 67"; }
  kill -0 "$DS_PID" 2>/dev/null || fail "server exited at start"
  if [ "$DHCP_SERVER" = kea ]; then wait_for 10 grep -q DHCP4_STARTED "$DS_LOG" || fail "kea not started"; fi
  echo "server ($DHCP_SERVER) started pid $DS_PID in $DS_NS"
}

_ds_gone() { ! kill -0 "$DS_PID" 2>/dev/null; }

dhcp_server_stop() {
  [ -n "$DS_PID" ] || return 0
  kill -TERM "$DS_PID" 2>/dev/null || true
  wait_for 20 _ds_gone || fail "server pid $DS_PID did not exit within 20 s of SIGTERM"
  wait "$DS_PID" 2>/dev/null || true
  DS_PID=""
}

dhcp_server_kill9() {
  [ -n "$DS_PID" ] || return 0
  kill -KILL "$DS_PID" 2>/dev/null || true
  wait "$DS_PID" 2>/dev/null || true
  DS_PID=""
}

dhcp_server_wipe() {
  [ -z "$DS_PID" ] || fail "dhcp_server_wipe while the server runs"
  rm -f "$DS_DIR"/leases* "$DS_DIR"/*.lock
}

# Prints the lease store as "IP MAC STATE" lines. The agent's store is read through its CLI while it
# runs (bin/ovpn-agent leases --json) and offline from H2 when it is stopped.
dhcp_leases() {
  if [ "$DHCP_SERVER" = kea ]; then
    python3 "$IT_ROOT/integration-tests/leases.py" kea "$DS_DIR/leases.csv"
  elif [ -n "$DS_PID" ]; then
    "$AGENT" leases --json --config "$DS_CONF" > "$W/leases.json" || fail "ovpn-agent leases failed"
    python3 "$IT_ROOT/integration-tests/leases.py" agent-json "$W/leases.json"
  else
    [ -f "$H2_JAR" ] || fail "H2 jar $H2_JAR missing"
    rm -f "$W/leases-h2.csv"
    java -cp "$H2_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$DS_DIR/leases" -user "${H2_USER:-}" -password "${H2_PASSWORD:-}" \
      -sql "CALL CSVWRITE('$W/leases-h2.csv', 'SELECT * FROM ${H2_LEASE_TABLE:-lease}')" > "$W/h2.out" 2>&1 \
      || { cat "$W/h2.out" >&2; fail "reading H2 lease table failed"; }
    python3 "$IT_ROOT/integration-tests/leases.py" h2-csv "$W/leases-h2.csv"
  fi
}

# lease_of MAC: prints the IP of the bound lease held by MAC (empty if none).
lease_of() { dhcp_leases | awk -v m="$(echo "$1" | tr A-Z a-z)" '$2==m && $3=="bound" {print $1}' | head -n1; }

# in_pool IP START END: true if START <= IP <= END.
in_pool() {
  python3 -c "import ipaddress as i,sys;a,s,e=(i.ip_address(x) for x in sys.argv[1:]);sys.exit(0 if s<=a<=e else 1)" "$1" "$2" "$3"
}

mac_of() { ip -n "$1" link show "$2" | awk '/link\/ether/ {print $2}'; }
addr_of() { ip -n "$1" -4 -o addr show dev "$2" | awk '{print $4}' | cut -d/ -f1 | head -n1; }

# --- real clients -------------------------------------------------------------------------------
# Each client logs "<event> <ip>" lines to $W/<tag>.events and configures its interface itself.

_write_client_scripts() {
  [ -f "$W/udhcpc.sh" ] && return 0
  cat > "$W/udhcpc.sh" <<'EOS'
#!/bin/sh
# udhcpc event script: configure the interface, then log the event; never touches /etc.
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound) ip -4 addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface" ;;
  renew) ip addr replace "$ip/$mask" dev "$interface" ;;
esac
echo "$1 ${ip:-}" >> "$EVENTS"
exit 0
EOS
  cat > "$W/dhclient.sh" <<'EOS'
#!/bin/sh
# dhclient-script replacement: configure the interface, log the event; with ARPCHECK=1 a BOUND
# address answered by another host on the link fails the script, so dhclient sends DHCPDECLINE.
case "$reason" in
  PREINIT) ip link set "$interface" up ;;
  BOUND|REBOOT)
    if [ "${ARPCHECK:-0}" = 1 ] && ! busybox arping -D -q -c 2 -w 2 -I "$interface" "$new_ip_address"; then
      echo "CONFLICT $new_ip_address" >> "$EVENTS"; exit 1
    fi
    ip -4 addr flush dev "$interface"; ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  RENEW|REBIND) ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
esac
echo "$reason ${new_ip_address:-}" >> "$EVENTS"
exit 0
EOS
  cat > "$W/dhcpcd-hook.sh" <<'EOS'
#!/bin/sh
# dhcpcd hook replacement (-c): only logs; dhcpcd configures the address itself.
echo "$reason ${new_ip_address:-}" >> "$EVENTS"
exit 0
EOS
  chmod 755 "$W/udhcpc.sh" "$W/dhclient.sh" "$W/dhcpcd-hook.sh"
}

# _client_script TAG BASE [VAR=VALUE...]: $W/TAG.sh, the BASE event script with EVENTS (and the
# given variables) baked in, since dhclient and dhcpcd run their scripts with a scrubbed environment.
_client_script() {
  local tag=$1 base=$2; shift 2
  _write_client_scripts
  : > "$W/$tag.events"
  { echo '#!/bin/sh'; echo "EVENTS=$W/$tag.events"; for v in "$@"; do echo "$v"; done; echo ". $W/$base \"\$@\""; } > "$W/$tag.sh"
  chmod 755 "$W/$tag.sh"
}

# udhcpc_start NS IFACE TAG [EXTRA_ARGS...]: udhcpc in the foreground (background job); sets UDHCPC_PID.
udhcpc_start() {
  local ns=$1 ifc=$2 tag=$3; shift 3
  _client_script "$tag" udhcpc.sh
  ip netns exec "$ns" busybox udhcpc -f -i "$ifc" -s "$W/$tag.sh" \
    -t 5 -T 2 -A 2 -p "$W/$tag.pid" "$@" > "$W/$tag.log" 2>&1 &
  UDHCPC_PID=$!
  IT_PIDS+=("$UDHCPC_PID")
}

# dhclient_args TAG: the private file arguments for one dhclient instance.
dhclient_args() { echo "-4 -sf $W/$1.sh -lf $W/$1.leases -pf $W/$1.pid -cf $W/$1.conf"; }

# dhclient_start NS IFACE TAG [CONF_LINES] [ARPCHECK=1]: dhclient -d in the background; sets DHCLIENT_PID.
dhclient_start() {
  local ns=$1 ifc=$2 tag=$3 conf=${4:-}
  _client_script "$tag" dhclient.sh ${5:-}
  printf 'timeout 30;\nretry 2;\ninitial-interval 1;\nrequest subnet-mask, routers;\n%s\n' "$conf" > "$W/$tag.conf"
  # shellcheck disable=SC2046
  ip netns exec "$ns" dhclient -d $(dhclient_args "$tag") "$ifc" > "$W/$tag.log" 2>&1 &
  DHCLIENT_PID=$!
  IT_PIDS+=("$DHCLIENT_PID")
}

# dhcpcd_session NS IFACE TAG: runs dhcpcd in a private mount namespace (its /run/dhcpcd and
# /var/lib/dhcpcd are compiled in) driven by flag files: touching $W/TAG.renew runs `dhcpcd -n`,
# $W/TAG.release runs `dhcpcd -k`; the session then ends.
dhcpcd_session() {
  local ns=$1 ifc=$2 tag=$3
  _client_script "$tag" dhcpcd-hook.sh
  mkdir -p "$W/$tag.db"
  printf 'ipv4only\nnoipv4ll\nnohook resolv.conf\noption subnet_mask, routers\n' > "$W/$tag.conf"
  cat > "$W/$tag.drive.sh" <<EOS
set -e
mount -t tmpfs none /run
mkdir -p /run/dhcpcd
mount --bind "$W/$tag.db" /var/lib/dhcpcd
D="dhcpcd -f $W/$tag.conf -4 -L -c $W/$tag.sh --nohook resolv.conf -t 30"
\$D -B "$ifc" &
dpid=\$!
until [ -e "$W/$tag.renew" ]; do sleep 0.1; kill -0 \$dpid || exit 1; done
\$D -n "$ifc"
until [ -e "$W/$tag.release" ]; do sleep 0.1; kill -0 \$dpid || exit 1; done
\$D -k "$ifc"
sleep 1
\$D -x "$ifc" || true
wait \$dpid || true
EOS
  ip netns exec "$ns" unshare -m bash "$W/$tag.drive.sh" > "$W/$tag.log" 2>&1 &
  DHCPCD_PID=$!
  IT_PIDS+=("$DHCPCD_PID")
}

# events TAG: prints the event log; has_event TAG REGEX: true if a line matches.
has_event() { grep -Eq "$2" "$W/$1.events" 2>/dev/null; }
