package ovpnagent.openvpn.mgmt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusParserTest {
  private static List<String> lines(String text) {
    return Arrays.asList(text.replace("\\t", "\t").split("\n"));
  }

  /** The observed 2.6.14 bridged output of openvpn.md §2.8. */
  @Test
  void openvpn26BridgedWithMacs() {
    StatusSnapshot s =
        StatusParser.parse(
            lines(
                """
TITLE\\tOpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]
TIME\\t2026-11-22 15:54:22\\t1795362862
HEADER\\tCLIENT_LIST\\tCommon Name\\tReal Address\\tVirtual Address\\tVirtual IPv6 Address\\tBytes Received\\tBytes Sent\\tConnected Since\\tConnected Since (time_t)\\tUsername\\tClient ID\\tPeer ID\\tData Channel Cipher
CLIENT_LIST\\trouter-b\\t198.18.1.2:56011\\t\\t\\t2339\\t2202\\t2026-11-22 15:54:06\\t1795362846\\tUNDEF\\t1\\t1\\tAES-256-GCM
CLIENT_LIST\\trouter-a\\t198.18.0.2:39405\\t\\t\\t3625\\t3282\\t2026-11-22 15:54:06\\t1795362846\\tUNDEF\\t0\\t0\\tAES-256-GCM
HEADER\\tROUTING_TABLE\\tVirtual Address\\tCommon Name\\tReal Address\\tLast Ref\\tLast Ref (time_t)
ROUTING_TABLE\\t52:50:0e:2b:80:24@0\\trouter-a\\t198.18.0.2:39405\\t2026-11-22 15:54:07\\t1795362847
ROUTING_TABLE\\td6:0d:8c:4f:18:2c@3\\trouter-a\\t198.18.0.2:39405\\t2026-11-22 15:54:22\\t1795362862
ROUTING_TABLE\\t06:e7:b0:2c:bb:15@0\\trouter-b\\t198.18.1.2:56011\\t2026-11-22 15:54:06\\t1795362846
GLOBAL_STATS\\tMax bcast/mcast queue length\\t2
GLOBAL_STATS\\tdco_enabled\\t0\
"""));
    assertEquals(0, s.skippedRows());
    assertEquals(
        new StatusSnapshot.ClientRow(1, "router-b", "198.18.1.2", "", 1795362846L),
        s.clients().get(0));
    assertEquals(0, s.clients().get(1).cid());
    assertEquals(3, s.routes().size());
    StatusSnapshot.RouteRow r = s.routes().get(1);
    assertEquals("d6:0d:8c:4f:18:2c", r.mac().toString());
    assertEquals(3, r.vid());
    assertEquals("router-a", r.commonName());
    assertEquals("198.18.0.2", r.realAddress());
    assertEquals(1795362862L, r.lastRef());
  }

  /** 2.4: no cipher column, MACs without @vid, ctime dates; time_t columns used. */
  @Test
  void openvpn24LayoutWithoutVid() {
    StatusSnapshot s =
        StatusParser.parse(
            lines(
                """
HEADER\\tCLIENT_LIST\\tCommon Name\\tReal Address\\tVirtual Address\\tVirtual IPv6 Address\\tBytes Received\\tBytes Sent\\tConnected Since\\tConnected Since (time_t)\\tUsername\\tClient ID\\tPeer ID
CLIENT_LIST\\trouter-a\\t198.18.0.2:39405\\t\\t\\t1\\t2\\tSun Nov 22 15:54:06 2026\\t1795362846\\tUNDEF\\t4\\t0
HEADER\\tROUTING_TABLE\\tVirtual Address\\tCommon Name\\tReal Address\\tLast Ref\\tLast Ref (time_t)
ROUTING_TABLE\\t52:50:0E:2B:80:24\\trouter-a\\t198.18.0.2:39405\\tSun Nov 22 15:54:07 2026\\t1795362847\
"""));
    assertEquals(4, s.clients().get(0).cid());
    assertEquals("52:50:0e:2b:80:24", s.routes().get(0).mac().toString());
    assertEquals(0, s.routes().get(0).vid());
  }

  /** 2.7: real address with a protocol prefix; TUN rows with IPs, CIDRs and cached routes. */
  @Test
  void openvpn27ProtoPrefixAndTunRows() {
    StatusSnapshot s =
        StatusParser.parse(
            lines(
                """
HEADER\\tCLIENT_LIST\\tCommon Name\\tReal Address\\tVirtual Address\\tVirtual IPv6 Address\\tBytes Received\\tBytes Sent\\tConnected Since\\tConnected Since (time_t)\\tUsername\\tClient ID\\tPeer ID\\tData Channel Cipher
CLIENT_LIST\\trouter-b\\tudp4:198.18.1.2:56011\\t198.19.128.50\\t\\t1\\t2\\t2026-11-22 15:54:06\\t1795362846\\tUNDEF\\t2\\t2\\tAES-256-GCM
HEADER\\tROUTING_TABLE\\tVirtual Address\\tCommon Name\\tReal Address\\tLast Ref\\tLast Ref (time_t)
ROUTING_TABLE\\t198.19.128.50\\trouter-b\\tudp4:198.18.1.2:56011\\t2026-11-22 15:54:07\\t1795362847
ROUTING_TABLE\\t198.19.200.0/24\\trouter-b\\tudp4:198.18.1.2:56011\\t2026-11-22 15:54:07\\t1795362847
ROUTING_TABLE\\t198.19.128.51C\\trouter-b\\tudp4:198.18.1.2:56011\\t2026-11-22 15:54:07\\t1795362847\
"""));
    assertEquals("198.18.1.2", s.clients().get(0).realAddress());
    assertEquals("198.19.128.50", s.clients().get(0).virtualAddress());
    assertNull(s.routes().get(0).mac());
    assertEquals(-1, s.routes().get(0).vid());
    assertEquals("198.19.200.0/24", s.routes().get(1).address());
    assertEquals("198.19.128.51", s.routes().get(2).address());
    assertEquals("198.18.1.2", s.routes().get(2).realAddress());
  }

  @Test
  void columnsFollowTheHeaderOrder() {
    StatusSnapshot s =
        StatusParser.parse(
            lines(
                """
                HEADER\\tCLIENT_LIST\\tClient ID\\tCommon Name\\tReal Address
                CLIENT_LIST\\t9\\trouter-z\\ttcp4-server:198.18.0.9:1194\
                """));
    assertEquals(
        new StatusSnapshot.ClientRow(9, "router-z", "198.18.0.9", "", 0), s.clients().get(0));
  }

  @Test
  void badRowsAreSkippedAndCounted() {
    StatusSnapshot s =
        StatusParser.parse(
            lines(
                """
CLIENT_LIST\\t\\t198.18.0.2:1
CLIENT_LIST\\trouter-a\\t198.18.0.2:1\\t\\t\\t1\\t2\\tdate\\tnot-a-number\\tUNDEF\\t0\\t0\\tX
ROUTING_TABLE\\tzz:zz:zz:zz:zz:zz@0\\trouter-a\\t198.18.0.2:1\\td\\t1
CLIENT_LIST\\trouter-b\\t198.18.0.3:1\\t\\t\\t1\\t2\\tdate\\t5\\tUNDEF\\t1\\t1\\tX\
"""));
    assertEquals(3, s.skippedRows());
    assertEquals(1, s.clients().size());
    assertEquals("router-b", s.clients().get(0).commonName());
  }

  @Test
  void hostStripsProtocolAndPort() {
    assertEquals("198.18.0.2", StatusParser.host("198.18.0.2:39405"));
    assertEquals("198.18.0.2", StatusParser.host("udp4:198.18.0.2:39405"));
    assertEquals("2001:db8::1", StatusParser.host("udp6:[2001:db8::1]:1194"));
    assertEquals("", StatusParser.host(""));
  }
}
