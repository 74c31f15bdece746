#!/bin/sh
# Stand-in for bin/ovpn-agent in HooksTest (hooks/up starts it via OVPN_AGENT_BIN): records its
# start in $FAKE_AGENT_STARTS, takes half a second like a JVM would, then answers every control
# request on $OVPN_AGENT_CONTROL with result 0 and appends the request to $FAKE_AGENT_REQUESTS.
if [ "${1:-}" = serve ]; then
  # one connection (socat runs this per client): log the request line, answer success
  IFS= read -r line
  printf '%s\n' "$line" >>"$FAKE_AGENT_REQUESTS"
  printf '%s\n' '{"result":0,"text":"ok"}'
  exit 0
fi
echo "$$ $*" >>"$FAKE_AGENT_STARTS"
sleep 0.5
exec socat UNIX-LISTEN:"$OVPN_AGENT_CONTROL",fork,unlink-early SYSTEM:"$0 serve"
