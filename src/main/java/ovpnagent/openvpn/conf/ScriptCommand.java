package ovpnagent.openvpn.conf;

import java.nio.file.Path;

/**
 * A script directive ({@code up}, {@code learn-address}): the command as written and its program
 * (the first word) resolved against the directory OpenVPN runs it from.
 */
public record ScriptCommand(String command, Path program) {
  @Override
  public String toString() {
    return command;
  }
}
