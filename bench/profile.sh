#!/bin/bash
# Profiling aid (not part of make bench): starts the agent in the bench topology with a JFR
# recording, runs perfdhcp at fixed rates, prints per-run results, the agent's log volume and
# thread CPU. Usage: bench/profile.sh RATE [RATE...]  (PROFILE_PERIOD seconds each, default 10)
# Env: PROFILE_PERF_ARGS adds perfdhcp arguments; PROFILE_PERF_PREFIX / PROFILE_AGENT_PREFIX wrap their commands (taskset -c N); PROFILE_FILL=N fills N leases first (RSS, NMT); PROFILE_JFR=1 records $PROFILE_OUT/agent.jfr; OVPN_AGENT_JAVA_OPTS is passed through.
IT_ID=${IT_ID:-p$(printf '%03x' $((RANDOM % 4096)))}
. "$(dirname "$0")/../integration-tests/lib.sh"
set +e
PERIOD=${PROFILE_PERIOD:-10}
OUT=${PROFILE_OUT:-/tmp/perf-profile}; mkdir -p "$OUT"
SRV=$(ns srv); CLI=$(ns cli)
ip -n "$SRV" link add br0 type bridge
ip -n "$SRV" addr add 198.18.0.1/15 dev br0
ip -n "$SRV" link set br0 up
veth "$SRV" p-cli "$CLI" eth0; ip -n "$SRV" link set p-cli master br0
ip -n "$CLI" addr add 198.18.0.2/15 dev eth0
DS_DIR="$W/agent"; mkdir -p "$DS_DIR"
( set -e; DHCP_SERVER=agent; . "$IT_ROOT/integration-tests/dhcp-lib.sh"; DS_FLAP_WINDOW=0s dhcp_server_config br0 198.18.0.1/15 198.18.1.0 198.19.255.250 86400 "" )
JOPTS=${OVPN_AGENT_JAVA_OPTS:--Xss512k -XX:+UseSerialGC -Xmx128m -Xmn24m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m}
[ -n "${PROFILE_JFR:-}" ] && JOPTS="$JOPTS -XX:StartFlightRecording=filename=$OUT/agent.jfr,settings=profile"
OVPN_AGENT_JAVA_OPTS="$JOPTS" ip netns exec "$SRV" ${PROFILE_AGENT_PREFIX:-} "$AGENT" run --config "$DS_DIR/agent.json" > "$OUT/agent.log" 2>&1 &
SPID=$!; IT_PIDS+=("$SPID")
sleep 3
rm -f "$OUT/cpu.prev"
if [ -n "${PROFILE_FILL:-}" ]; then  # avalanche-fill the store first, then report RSS and NMT
  ip netns exec "$CLI" perfdhcp -4 -l eth0 --scenario avalanche -R "$PROFILE_FILL" -b mac=02:01:00:00:00:00 -p 600 > "$OUT/fill.out" 2>&1
  echo "filled: $(awk '/REQUEST-ACK/ {f=1} f && /^received packets:/ {print $3; exit}' "$OUT/fill.out") RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$SPID/status)"
  jcmd "$SPID" VM.native_memory summary 2>/dev/null | grep -E "committed" | head -14
fi
for rate in "$@"; do
  ip netns exec "$CLI" ${PROFILE_PERF_PREFIX:-} perfdhcp -4 -l eth0 -r "$rate" -R "${PERF_CLIENTS:-100000}" -p "$PERIOD" -d 1 -W 1000000 ${PROFILE_PERF_ARGS:-} > "$OUT/perf-$rate.out" 2>&1
  awk -v p="$PERIOD" -v r="$rate" '/Statistics for: REQUEST-ACK\*/ {ra=1} /^sent packets:/ {s+=$3; if (!disc) disc=$3}
       /^received packets:/ {v+=$3; if (ra && !got) {acks=$3; got=1}}
       END {d = s ? 100*(s-v)/s : 100; printf "offered %d -> %.0f/s drops %.3f %% (DISCOVERs sent %.0f/s)\n", r, acks/p, d, disc/p}' "$OUT/perf-$rate.out"
  # per-thread CPU seconds used during this run (utime+stime from /proc)
  for t in /proc/$SPID/task/*; do echo "$(cat $t/comm | tr ' ' _) $(awk '{print $14, $15}' $t/stat)"; done | sort > "$OUT/cpu.now"
  [ -f "$OUT/cpu.prev" ] || : > "$OUT/cpu.prev"
  join -a1 "$OUT/cpu.now" "$OUT/cpu.prev" 2>/dev/null | awk '{u=$2-($4+0); s=$3-($5+0); if (u+s>5) printf "  %s %.2fs (sys %.2f)", $1, (u+s)/100, s/100; if ($1 !~ /Compiler|Sweeper/) {tu+=u; ts+=s}} END {printf "\n  agent without JIT: user %.2fs sys %.2fs\n", tu/100, ts/100}'
  mv "$OUT/cpu.now" "$OUT/cpu.prev"
done
for n in "$SRV" "$CLI"; do echo "$n udp: $(ip netns exec "$n" awk '/^Udp:/ {if (h) print; h=1}' /proc/net/snmp)"; done
echo "log lines: $(wc -l < "$OUT/agent.log")  RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$SPID/status)"
"$AGENT" status --config "$DS_DIR/agent.json" 2>&1 | grep -iE "drop|overload|commit|store" | head -20
[ -n "${PROFILE_HISTO:-}" ] && jcmd "$SPID" GC.class_histogram 2>/dev/null | head -25
[ -n "${PROFILE_JFR:-}" ] && jcmd "$SPID" JFR.dump filename="$OUT/agent.jfr" >/dev/null
kill "$SPID"; wait "$SPID"
tail -n 5 "$OUT/agent.log"
