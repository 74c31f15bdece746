#!/bin/bash
# CONNECT-to-client-auth latency (issue 3 "Figures"; floor: p99 under 20 ms): runs
# ovpnagent.openvpn.mgmt.AuthLatencyBench on the test classpath - a fake OpenVPN management server
# writes AUTH_CLIENTS (default 1,000) >CLIENT:CONNECT blocks in one burst over a unix socket after
# AUTH_WARMUPS (default 2) warm-up bursts, and times each client from the burst to its END. Prints
# median and p99; asserts nothing. Needs the Maven repository offline (make deps).
set -eu
cd "$(dirname "$0")/.."
CLIENTS=${AUTH_CLIENTS:-1000}
WARMUPS=${AUTH_WARMUPS:-2}
TRANSPORT=${AUTH_TRANSPORT:-unix}
CP_FILE=$(mktemp /tmp/auth-bench-cp.XXXXXX)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$CP_FILE" > /dev/null
echo "auth latency ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)), $CLIENTS simultaneous CONNECTs over $TRANSPORT, $WARMUPS warm-up bursts"
java ${AUTH_JAVA_OPTS:--XX:+UseSerialGC -Xmx192m} -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" \
  ovpnagent.openvpn.mgmt.AuthLatencyBench "$CLIENTS" "$TRANSPORT" "$WARMUPS"
