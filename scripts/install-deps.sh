#!/bin/sh
# Installs the Debian 12 packages the build, the tests, the benchmark and the demo need.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -e
PKGS="openjdk-17-jdk-headless maven make openvpn openssl iproute2 procps psmisc util-linux coreutils isc-dhcp-client udhcpc busybox dhcpcd-base kea-admin kea-dhcp4-server libjemalloc2 tcpdump socat curl python3"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "install-deps: installing:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # Debian's packaged services must not start on the host (kea-dhcp4 would grab UDP/67).
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
  $SUDO rm -f /usr/sbin/policy-rc.d
fi
