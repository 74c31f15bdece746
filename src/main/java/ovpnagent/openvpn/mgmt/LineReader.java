package ovpnagent.openvpn.mgmt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import ovpnagent.openvpn.mgmt.protocol.MgmtParser;

/**
 * Frames the management byte stream into lines (openvpn.md §2.2-§2.3): CRLF or LF terminated, and
 * the {@code ENTER PASSWORD:} prompt which has no line ending. A line longer than the cap is
 * discarded up to the next newline and reported through {@code onOverlong}. Reads the stream in
 * chunks (one call per read, not per byte), so the stream needs no buffering of its own.
 */
final class LineReader {
  private static final byte[] PROMPT =
      MgmtParser.PASSWORD_PROMPT.getBytes(StandardCharsets.US_ASCII);
  private final InputStream in;
  private final int maxBytes;
  private final Runnable onOverlong;
  private final byte[] chunk = new byte[16384];
  private int pos;
  private int lim;
  private byte[] buf = new byte[256];

  LineReader(InputStream in, int maxBytes, Runnable onOverlong) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.onOverlong = onOverlong;
  }

  /** The next line without CR/LF, the bare prompt, or null at end of stream. */
  String next() throws IOException {
    int len = 0;
    boolean discarding = false;
    while (true) {
      if (pos == lim) {
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
          return null;
        }
        pos = 0;
        lim = n;
        continue;
      }
      int b = chunk[pos++] & 0xff;
      if (b == '\n') {
        if (discarding) {
          discarding = false;
          len = 0;
          onOverlong.run();
          continue;
        }
        if (len > 0 && buf[len - 1] == '\r') {
          len--;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
      }
      if (discarding) {
        continue;
      }
      if (len == maxBytes) {
        discarding = true;
        continue;
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(maxBytes, buf.length * 2));
      }
      buf[len++] = (byte) b;
      if (len == PROMPT.length && Arrays.equals(buf, 0, len, PROMPT, 0, len)) {
        return MgmtParser.PASSWORD_PROMPT;
      }
    }
  }
}
