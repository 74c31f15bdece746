#!/bin/bash
# CONNECT-to-client-auth latency (issue 3 "Figures"; floor: p99 under 20 ms), in two processes as
# in production, where OpenVPN is a C process of its own beside the agent:
# - the OpenVPN side, ovpnagent.openvpn.mgmt.AuthLatencyServer (test classpath), runs in its own
#   JVM (AUTH_SERVER_JAVA_OPTS, default -XX:+UseSerialGC -Xmx256m): a fake OpenVPN management
#   server on a unix socket in a temporary directory (AUTH_TRANSPORT=tcp: 127.0.0.1, ephemeral
#   port) that writes AUTH_CLIENTS (default 1,000) >CLIENT:CONNECT blocks of new routed clients in
#   one burst and times each client from the burst's write to its END (the "server view": every
#   figure but the last line is measured in this process alone);
# - the agent side, ovpnagent.openvpn.mgmt.AuthLatencyAgent, runs in a JVM with the launcher's
#   flags (bin/ovpn-agent; AUTH_JAVA_OPTS overrides them) and holds only the production path:
#   InstanceManagementService connected through its ManagementEndpoint, RoutedAllocator on the H2
#   store (records written behind, 20 ms later, as in production). It prints the last line (agent view:
#   CONNECT block parsed -> SUCCESS read, measured bursts only) once the server hangs up (its
#   "event=mgmt_disconnected ... end of stream" WARN on stderr is that hang-up, the end of the run).
# Each burst follows AUTH_PAUSE_MS (300) of quiet. The first burst is printed as "cold" (the JVMs'
# first run of this code); AUTH_WARMUPS bursts (default 20, the cold one included: the JIT needs
# about 15 bursts - 15,000 CONNECTs - before the hot code is compiled; every warm-up burst is
# printed too) are not counted, then AUTH_ROUNDS measured bursts
# (default 10) are reported one by one, as the median and worst of their p99s, and pooled. Before
# the first measured burst the server waits for the agent to have accounted the warm-ups (a marker
# file). Asserts nothing. Needs the Maven repository offline (make deps).
set -eu
cd "$(dirname "$0")/.."
CLIENTS=${AUTH_CLIENTS:-1000}
WARMUPS=${AUTH_WARMUPS:-20}
ROUNDS=${AUTH_ROUNDS:-10}
PAUSE_MS=${AUTH_PAUSE_MS:-300}
# the JVM flags of bin/ovpn-agent (the agent's own heap and GC), unless AUTH_JAVA_OPTS is set
LAUNCHER_OPTS=$(sed -n 's/.*OVPN_AGENT_JAVA_OPTS:-\([^}]*\)}.*/\1/p' bin/ovpn-agent)
SERVER_OPTS=${AUTH_SERVER_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}
TRANSPORT=${AUTH_TRANSPORT:-unix}
CP_FILE=$(mktemp /tmp/auth-bench-cp.XXXXXX)
DIR=$(mktemp -d /tmp/auth-bench.XXXXXX)
SERVER_PID=
AGENT_PID=
cleanup() {
  for pid in $AGENT_PID $SERVER_PID; do
    kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null || true
  done
  rm -rf "$DIR" "$CP_FILE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$CP_FILE" > /dev/null
CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
echo "auth latency ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)), $CLIENTS simultaneous CONNECTs over $TRANSPORT, $WARMUPS warm-up bursts, $ROUNDS measured, ${PAUSE_MS} ms quiet before each; agent and fake OpenVPN in separate JVMs"
# shellcheck disable=SC2086 # the option strings are word lists
java $SERVER_OPTS -Dbench.pauseMs="$PAUSE_MS" -cp "$CP" \
  ovpnagent.openvpn.mgmt.AuthLatencyServer "$DIR" "$TRANSPORT" "$CLIENTS" "$WARMUPS" "$ROUNDS" &
SERVER_PID=$!
# shellcheck disable=SC2086
java ${AUTH_JAVA_OPTS:-$LAUNCHER_OPTS} -cp "$CP" \
  ovpnagent.openvpn.mgmt.AuthLatencyAgent "$DIR" "$CLIENTS" "$WARMUPS" "$ROUNDS" &
AGENT_PID=$!
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=
if [ "$rc" -ne 0 ]; then
  echo "auth_latency: the server JVM failed (exit $rc)" >&2
  kill "$AGENT_PID" 2> /dev/null || true
fi
arc=0
wait "$AGENT_PID" || arc=$?
AGENT_PID=
[ "$arc" -eq 0 ] || echo "auth_latency: the agent JVM failed (exit $arc)" >&2
[ "$rc" -eq 0 ] && [ "$arc" -eq 0 ]
