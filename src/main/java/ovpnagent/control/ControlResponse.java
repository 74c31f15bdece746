package ovpnagent.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One control response, Kea style: {@code {"result": N, "text": "...", "arguments": ...}} with the
 * result codes of Kea's control channel (dhcp.md §6).
 *
 * @param result {@link #SUCCESS}, {@link #ERROR}, {@link #UNSUPPORTED}, {@link #EMPTY} or {@link
 *     #CONFLICT}
 * @param text a human-readable summary, never null
 * @param arguments the payload, or null for none
 */
public record ControlResponse(int result, String text, JsonNode arguments) {
  /** The command succeeded. */
  public static final int SUCCESS = 0;

  /** The command failed (bad request, bad arguments, handler error). */
  public static final int ERROR = 1;

  /** No such command. */
  public static final int UNSUPPORTED = 2;

  /** Done, but nothing was found or affected. */
  public static final int EMPTY = 3;

  /** The command conflicts with the server's state. */
  public static final int CONFLICT = 4;

  public ControlResponse {
    text = text == null ? "" : text;
  }

  /** A success with a payload. */
  public static ControlResponse ok(String text, JsonNode arguments) {
    return new ControlResponse(SUCCESS, text, arguments);
  }

  /** A success with a payload and a generic text. */
  public static ControlResponse ok(JsonNode arguments) {
    return new ControlResponse(SUCCESS, "ok", arguments);
  }

  /** "Done, but nothing found or affected" (result 3), e.g. no lease for that MAC. */
  public static ControlResponse empty(String text) {
    return new ControlResponse(EMPTY, text, null);
  }

  /** A failure (result 1). */
  public static ControlResponse error(String text) {
    return new ControlResponse(ERROR, text, null);
  }

  /** The wire form. */
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("result", result);
    n.put("text", text);
    if (arguments != null) {
      n.set("arguments", arguments);
    }
    return n;
  }
}
