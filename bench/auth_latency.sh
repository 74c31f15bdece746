#!/bin/bash
# CONNECT-to-client-auth latency (issue 3 "Figures"; floor: p99 under 20 ms): runs
# ovpnagent.openvpn.mgmt.AuthLatencyBench on the test classpath - a fake OpenVPN management server
# writes AUTH_CLIENTS (default 1,000) >CLIENT:CONNECT blocks of new routed clients in one burst over
# a unix socket and times each client from the burst to its END; the agent side is the production
# path (RoutedAllocator on the H2 store: each address is committed before it is pushed) in a JVM
# with the launcher's flags (bin/ovpn-agent). Each burst follows AUTH_PAUSE_MS (300) of quiet. The
# first burst is printed as "cold" (the JVM's first run of this code); AUTH_WARMUPS bursts (default
# 10, the cold one included: the JIT needs about that many before the code is compiled) are not
# counted, then AUTH_ROUNDS measured bursts (default 10) are reported one by one, as the median and
# worst of their p99s, and pooled. Asserts nothing. Needs the Maven repository offline (make deps).
set -eu
cd "$(dirname "$0")/.."
CLIENTS=${AUTH_CLIENTS:-1000}
WARMUPS=${AUTH_WARMUPS:-10}
ROUNDS=${AUTH_ROUNDS:-10}
PAUSE_MS=${AUTH_PAUSE_MS:-300}
# the JVM flags of bin/ovpn-agent (the agent's own heap and GC), unless AUTH_JAVA_OPTS is set
LAUNCHER_OPTS=$(sed -n 's/.*OVPN_AGENT_JAVA_OPTS:-\([^}]*\)}.*/\1/p' bin/ovpn-agent)
TRANSPORT=${AUTH_TRANSPORT:-unix}
CP_FILE=$(mktemp /tmp/auth-bench-cp.XXXXXX)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$CP_FILE" > /dev/null
echo "auth latency ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)), $CLIENTS simultaneous CONNECTs over $TRANSPORT, $WARMUPS warm-up bursts, $ROUNDS measured, ${PAUSE_MS} ms quiet before each"
java ${AUTH_JAVA_OPTS:-$LAUNCHER_OPTS} -Dbench.pauseMs="$PAUSE_MS" -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" \
  ovpnagent.openvpn.mgmt.AuthLatencyBench "$CLIENTS" "$TRANSPORT" "$WARMUPS" "$ROUNDS"
