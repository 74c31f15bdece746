package ovpnagent.boot;

/** One part of the running agent, started in order by {@link Agent} and closed in reverse. */
public interface Service extends AutoCloseable {
  /** A short name for logs ({@code store}, {@code dhcp:br0}, {@code mgmt:server}). */
  String name();

  /** Starts the service; a thrown exception stops the agent with that cause. */
  void start() throws Exception;

  /** Stops the service; must not throw and must be safe to call if start failed. */
  @Override
  void close();
}
