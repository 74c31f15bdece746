package ovpnagent.openvpn.conf;

/** The kind of virtual device an instance uses: {@code dev-type}, else the {@code dev} prefix. */
public enum DeviceKind {
  /** Layer 3 ({@code tun*}, {@code null}, or {@code dev-type tun}). */
  TUN,
  /** Layer 2 ({@code tap*} or {@code dev-type tap}). */
  TAP,
  /** No {@code dev}, or a name without a tun/tap prefix and no {@code dev-type}. */
  UNKNOWN;

  /** Derives the kind from {@code dev} and {@code dev-type} (either may be null). */
  public static DeviceKind of(String dev, String devType) {
    if (devType != null) {
      return devType.equals("tap") ? TAP : TUN; // "tun" and "null"
    }
    if (dev == null) {
      return UNKNOWN;
    }
    if (dev.startsWith("tap")) {
      return TAP;
    }
    if (dev.startsWith("tun") || dev.equals("null")) {
      return TUN;
    }
    return UNKNOWN;
  }
}
