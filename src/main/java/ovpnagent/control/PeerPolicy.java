package ovpnagent.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Arrays;
import java.util.List;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the control socket: root, the agent's own user, and members of the configured group
 * (by the peer's primary group from {@code SO_PEERCRED}, or as a listed member of the group in the
 * group database via {@code getgrnam(3)}). Shared by the control socket and the management
 * consoles. This is the second gate; the first is the socket file's mode 0660 and group.
 */
public final class PeerPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(PeerPolicy.class);
  private final UserPrincipal root;
  private final UserPrincipal self;
  private final GroupPrincipal group;
  private final String groupName;

  /** A policy admitting root, {@code self} and members of {@code groupName} (null: none). */
  public PeerPolicy(UserPrincipal self, String groupName) throws IOException {
    UserPrincipalLookupService ls = FileSystems.getDefault().getUserPrincipalLookupService();
    this.root = ls.lookupPrincipalByName("root");
    this.self = self;
    this.groupName = groupName;
    this.group = groupName == null ? null : ls.lookupPrincipalByGroupName(groupName);
  }

  /** The configured group, resolved, or null. */
  public GroupPrincipal group() {
    return group;
  }

  /** True if this peer may send commands. */
  public boolean allows(UnixDomainPrincipal peer) {
    UserPrincipal user = peer.user();
    if (user.equals(root) || user.equals(self)) {
      return true;
    }
    if (group == null) {
      return false;
    }
    if (peer.group().equals(group)) {
      return true;
    }
    return members(group.getName()).contains(user.getName());
  }

  /** The listed members of a group: getgrnam(3) through jnr-posix, else /etc/group. */
  static List<String> members(String name) {
    try {
      synchronized (PeerPolicy.class) {
        jnr.posix.Group g = Posix.INSTANCE.getgrnam(name);
        if (g != null) {
          String[] m = g.getMembers();
          return m == null ? List.of() : Arrays.asList(m);
        }
        return List.of();
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("event=getgrnam_failed group={} reason=\"{}\"", name, e.toString());
    }
    try {
      for (String line : Files.readAllLines(Path.of("/etc/group"), StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length >= 4 && f[0].equals(name) && !f[3].isEmpty()) {
          return Arrays.asList(f[3].split(","));
        }
      }
    } catch (IOException e) {
      LOG.warn("event=group_read_failed group={} reason=\"{}\"", name, e.toString());
    }
    return List.of();
  }

  private static final class Posix {
    static final jnr.posix.POSIX INSTANCE = jnr.posix.POSIXFactory.getNativePOSIX();
  }

  @Override
  public String toString() {
    return "root" + (groupName == null ? "" : " or group " + groupName);
  }
}
