package ovpnagent.routed;

/** No address of the routed pool is free (every unit assigned or still in its grace period). */
public final class PoolExhaustedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the pool. */
  public PoolExhaustedException(String message) {
    super(message);
  }
}
