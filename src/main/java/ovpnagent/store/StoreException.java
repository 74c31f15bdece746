package ovpnagent.store;

/** The store could not read or write; the caller must not answer as if it had. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure without an underlying cause (queue full, store closed, value too long). */
  public StoreException(String message) {
    super(message);
  }
}
