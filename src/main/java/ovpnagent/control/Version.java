package ovpnagent.control;

/** The agent's version as recorded in the jar manifest, or {@code dev} when run from classes. */
public final class Version {
  private Version() {}

  /** The Implementation-Version of the ovpnagent package, or {@code dev}. */
  public static String current() {
    Package p = Version.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null || v.isEmpty() ? "dev" : v;
  }
}
