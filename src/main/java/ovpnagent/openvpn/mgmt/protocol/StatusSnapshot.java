package ovpnagent.openvpn.mgmt.protocol;

import java.util.List;
import ovpnagent.util.HwAddr;

/**
 * The parsed output of {@code status 3} (openvpn.md §2.8).
 *
 * @param clients the CLIENT_LIST rows
 * @param routes the ROUTING_TABLE rows
 * @param skippedRows rows that could not be parsed and were left out
 */
public record StatusSnapshot(List<ClientRow> clients, List<RouteRow> routes, int skippedRows) {
  public StatusSnapshot {
    clients = List.copyOf(clients);
    routes = List.copyOf(routes);
  }

  /**
   * One connected client.
   *
   * @param cid the client ID ({@code Client ID} column), -1 if the column is missing (2.3 and
   *     older)
   * @param realAddress the peer's address without protocol prefix and port
   * @param virtualAddress the pushed IPv4 address, "" if none
   * @param connectedSince the {@code Connected Since (time_t)} value, 0 if missing
   */
  public record ClientRow(
      long cid,
      String commonName,
      String realAddress,
      String virtualAddress,
      long connectedSince) {}

  /**
   * One learned address.
   *
   * @param address the raw {@code Virtual Address} (MAC{@code @vid}, IP, or IP/len; a trailing
   *     {@code C} of a cached route removed)
   * @param mac the MAC if the address is one, else null
   * @param vid the VLAN id of a MAC ({@code @vid}; 0 when absent), -1 for IP rows
   * @param lastRef the {@code Last Ref (time_t)} value, 0 if missing
   */
  public record RouteRow(
      String address, HwAddr mac, int vid, String commonName, String realAddress, long lastRef) {}
}
