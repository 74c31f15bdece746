package ovpnagent.link.netlink;

import java.io.IOException;

/** A netlink message or attribute that does not fit its declared length or expected shape. */
public final class NetlinkParseException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with an offset, what was found and what was expected. */
  public NetlinkParseException(String message) {
    super(message);
  }
}
