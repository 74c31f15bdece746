package ovpnagent.openvpn.mgmt.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ovpnagent.util.HwAddr;

/**
 * Parses {@code status 3} output (TAB separated, openvpn.md §2.8) into a {@link StatusSnapshot}.
 * Columns are mapped by the {@code HEADER} rows, so 2.4 (no cipher column), 2.5-2.6 and 2.7 (real
 * address prefixed with a protocol such as {@code udp4:}) all parse; without a HEADER the 2.6
 * layout is assumed. A row that cannot be parsed is skipped and counted, never fatal.
 */
public final class StatusParser {
  private static final List<String> DEFAULT_CLIENT_HEADER =
      List.of(
          "Common Name",
          "Real Address",
          "Virtual Address",
          "Virtual IPv6 Address",
          "Bytes Received",
          "Bytes Sent",
          "Connected Since",
          "Connected Since (time_t)",
          "Username",
          "Client ID",
          "Peer ID",
          "Data Channel Cipher");
  private static final List<String> DEFAULT_ROUTE_HEADER =
      List.of("Virtual Address", "Common Name", "Real Address", "Last Ref", "Last Ref (time_t)");

  private StatusParser() {}

  /** Parses the lines of a {@code status 3} reply (without the final {@code END}). */
  public static StatusSnapshot parse(List<String> lines) {
    Map<String, Integer> clientCols = index(DEFAULT_CLIENT_HEADER);
    Map<String, Integer> routeCols = index(DEFAULT_ROUTE_HEADER);
    List<StatusSnapshot.ClientRow> clients = new ArrayList<>();
    List<StatusSnapshot.RouteRow> routes = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      try {
        switch (f[0]) {
          case "HEADER" -> {
            if (f.length > 1 && f[1].equals("CLIENT_LIST")) {
              clientCols = index(List.of(f).subList(2, f.length));
            } else if (f.length > 1 && f[1].equals("ROUTING_TABLE")) {
              routeCols = index(List.of(f).subList(2, f.length));
            }
          }
          case "CLIENT_LIST" -> clients.add(client(f, clientCols));
          case "ROUTING_TABLE" -> routes.add(route(f, routeCols));
          default -> {
            // TITLE, TIME, GLOBAL_STATS and future row types carry nothing the agent needs.
          }
        }
      } catch (MgmtProtocolException e) {
        skipped++;
      }
    }
    return new StatusSnapshot(clients, routes, skipped);
  }

  private static Map<String, Integer> index(List<String> header) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      m.putIfAbsent(header.get(i), i + 1);
    }
    return m;
  }

  private static StatusSnapshot.ClientRow client(String[] f, Map<String, Integer> cols) {
    String cn = col(f, cols, "Common Name", true);
    String real = host(col(f, cols, "Real Address", true));
    String virt = col(f, cols, "Virtual Address", false);
    long since = number(col(f, cols, "Connected Since (time_t)", false), "Connected Since");
    String cidText = col(f, cols, "Client ID", false);
    long cid = cidText.isEmpty() ? -1 : MgmtParser.id(cidText, "Client ID");
    return new StatusSnapshot.ClientRow(cid, cn, real, virt, since);
  }

  private static StatusSnapshot.RouteRow route(String[] f, Map<String, Integer> cols) {
    String addr = col(f, cols, "Virtual Address", true);
    String cn = col(f, cols, "Common Name", true);
    String real = host(col(f, cols, "Real Address", false));
    long lastRef = number(col(f, cols, "Last Ref (time_t)", false), "Last Ref");
    HwAddr mac = null;
    int vid = -1;
    if (addr.indexOf(':') > 0 && addr.indexOf('.') < 0) {
      try {
        mac = HwAddr.parse(addr);
      } catch (IllegalArgumentException e) {
        throw new MgmtProtocolException("ROUTING_TABLE address '" + addr + "'", e);
      }
      int at = addr.indexOf('@');
      vid = at < 0 ? 0 : Integer.parseInt(addr.substring(at + 1));
    } else if (addr.endsWith("C")) {
      addr = addr.substring(0, addr.length() - 1);
    }
    return new StatusSnapshot.RouteRow(addr, mac, vid, cn, real, lastRef);
  }

  private static String col(String[] f, Map<String, Integer> cols, String name, boolean required) {
    Integer i = cols.get(name);
    if (i == null || i >= f.length) {
      if (required) {
        throw new MgmtProtocolException(
            f[0] + " row with " + (f.length - 1) + " fields (expected column '" + name + "')");
      }
      return "";
    }
    String v = f[i];
    if (required && v.isEmpty()) {
      throw new MgmtProtocolException(f[0] + " row with empty '" + name + "'");
    }
    return v;
  }

  private static long number(String s, String what) {
    if (s.isEmpty()) {
      return 0;
    }
    if (s.length() > 19 || !s.chars().allMatch(Character::isDigit)) {
      throw new MgmtProtocolException(what + " '" + s + "' (expected time_t)");
    }
    return Long.parseLong(s);
  }

  /**
   * Strips an optional protocol prefix ({@code udp4:}, {@code tcp4-server:}) and the port from a
   * real address: {@code udp4:198.18.0.2:39405} → {@code 198.18.0.2}.
   */
  static String host(String real) {
    if (real.isEmpty()) {
      return real;
    }
    String r = real;
    int colon = r.indexOf(':');
    if (colon > 0 && Character.isLetter(r.charAt(0))) {
      String proto = r.substring(0, colon);
      if (proto.startsWith("udp") || proto.startsWith("tcp")) {
        r = r.substring(colon + 1);
      }
    }
    if (r.startsWith("[")) {
      int close = r.indexOf(']');
      return close > 0 ? r.substring(1, close) : r;
    }
    int first = r.indexOf(':');
    int last = r.lastIndexOf(':');
    if (first > 0 && first == last) {
      return r.substring(0, last);
    }
    if (first > 0 && r.indexOf('.') < 0) {
      // IPv6 printed as addr:port without brackets; the last group is the port
      return r.substring(0, last);
    }
    return r;
  }
}
