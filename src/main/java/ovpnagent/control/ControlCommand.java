package ovpnagent.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The handler of one control command. It runs on a control worker thread; any exception it throws
 * becomes a result-1 response carrying the exception's message, and never stops the server.
 */
@FunctionalInterface
public interface ControlCommand {
  /**
   * Handles one request.
   *
   * @param arguments the request's {@code arguments} object, or an empty object when absent (never
   *     null)
   * @return the response; null counts as a success without payload
   */
  ControlResponse handle(JsonNode arguments) throws Exception;
}
