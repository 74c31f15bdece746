# Shared helpers for end-to-end scenarios. Source it from a t_*.sh script:
#   . "$(dirname "$0")/lib.sh"
# Every namespace, process and temp dir made through these helpers is removed on exit, also when
# the scenario fails. Test networks use 198.18.0.0/15 only.
set -eu
IT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IT_ID=${IT_ID:-$(printf '%04x' $((RANDOM % 65536)))}
W=$(mktemp -d /tmp/ovpn-it.XXXXXX)
IT_NS=()
IT_PIDS=()
# ns and bg are often called inside $(...), a subshell whose array updates are lost, so every
# namespace and background pid is also recorded in a file that the cleanup reads.
IT_REG="$W/.it-registry"
: > "$IT_REG"

it_cleanup() {
  local rc=$?
  set +e
  local pids nss
  pids="${IT_PIDS[*]:-} $(awk '$1=="pid" {print $2}' "$IT_REG" 2>/dev/null)"
  nss="${IT_NS[*]:-} $(awk '$1=="ns" {print $2}' "$IT_REG" 2>/dev/null)"
  for p in $pids; do kill "$p" 2>/dev/null; done
  # give them (the agent closes its store and sockets on SIGTERM) up to 5 s, then kill -9
  local i alive
  for i in $(seq 50); do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  for p in $pids; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  for n in $(printf '%s\n' $nss | sort -u); do
    [ -n "$n" ] || continue
    # kill anything still running inside the namespace
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
  done
  if [ "$rc" != 0 ]; then
    echo "=== scenario failed (rc=$rc); files in $W (kept with IT_KEEP=1) ==="
    for f in "$W"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }; done
  fi
  [ -n "${IT_KEEP:-}" ] || rm -rf "$W"
  exit $rc
}
trap it_cleanup EXIT
trap 'exit 130' INT TERM

# ns NAME: creates namespace "$IT_ID-NAME" with lo up; prints its full name.
ns() {
  local n="it$IT_ID-$1"
  ip netns add "$n"
  IT_NS+=("$n")
  echo "ns $n" >> "$IT_REG"
  ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 >/dev/null 2>&1 || true
  echo "$n"
}

# veth NS1 IF1 NS2 IF2: a veth pair between two namespaces, both ends up.
veth() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# bg CMD...: starts a background process and registers it for cleanup; sets $! as usual.
bg() {
  "$@" &
  IT_PIDS+=("$!")
  echo "pid $!" >> "$IT_REG"
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds or time runs out.
wait_for() {
  local deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 )); shift
  until "$@" >/dev/null 2>&1; do
    if [ $(( $(date +%s%N) / 1000000 )) -ge $deadline ]; then
      echo "timed out waiting for: $*" >&2
      return 1
    fi
    sleep 0.1
  done
}

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

AGENT=${AGENT:-$IT_ROOT/bin/ovpn-agent}  # override to test another build

# agent_start NS CONFIG LOG: runs the agent in a namespace in the background; sets AGENT_PID.
agent_start() {
  ip netns exec "$1" "$AGENT" run --config "$2" > "$3" 2>&1 &
  AGENT_PID=$!
  IT_PIDS+=("$AGENT_PID")
}
