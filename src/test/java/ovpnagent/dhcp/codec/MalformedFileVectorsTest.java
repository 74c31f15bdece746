package ovpnagent.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The named malformed vectors under {@code src/test/resources/dhcp/malformed/}, each a real dhcpcd
 * DISCOVER damaged in one way, with its expected outcome in {@code # expect:} header lines: {@code
 * rejected: MESSAGE}, or {@code defects: D1 | D2} (or {@code none}) plus {@code options: CODES}
 * (the codes kept, in order).
 */
class MalformedFileVectorsTest {
  record Vector(String name, String rule, List<String> expect, byte[] bytes) {
    String expected(String key) {
      return expect.stream()
          .filter(e -> e.startsWith(key + ": "))
          .map(e -> e.substring(key.length() + 2))
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Vector> vectors() throws IOException, URISyntaxException {
    Path dir = Path.of(MalformedFileVectorsTest.class.getResource("/dhcp/malformed").toURI());
    List<Vector> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".hex")).sorted().toList()) {
        String rule = null;
        List<String> expect = new ArrayList<>();
        StringBuilder hex = new StringBuilder();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.startsWith("# rule: ")) {
            rule = line.substring(8);
          } else if (line.startsWith("# expect: ")) {
            expect.add(line.substring(10));
          } else if (!line.startsWith("#")) {
            hex.append(line.strip());
          }
        }
        String name = f.getFileName().toString().replace(".hex", "");
        out.add(new Vector(name, rule, expect, HexFormat.of().parseHex(hex)));
      }
    }
    return out;
  }

  @Test
  void everyLeniencyRuleHasAVector() throws Exception {
    Set<String> rules = vectors().stream().map(Vector::rule).collect(Collectors.toSet());
    for (String rule :
        List.of(
            "packet shorter than header and cookie -> drop",
            "wrong magic cookie -> drop",
            "unknown option code -> kept as raw bytes",
            "known option with malformed body -> skipped, listed, rest kept",
            "option truncated at the end of the buffer -> keep what came before",
            "bytes after END -> ignored")) {
      assertTrue(rules.contains(rule), "no vector for: " + rule);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesAsItsHeaderSays(Vector v) throws MalformedPacketException {
    assertFalse(v.expect().isEmpty(), v + " has no expectation");
    String rejected = v.expected("rejected");
    if (rejected != null) {
      MalformedPacketException e =
          assertThrows(MalformedPacketException.class, () -> DhcpCodec.decode(v.bytes()));
      assertEquals(rejected, e.getMessage());
      return;
    }
    DhcpPacket p = DhcpCodec.decode(v.bytes());
    String defects = v.expected("defects");
    assertEquals(
        defects.equals("none") ? List.of() : Arrays.asList(defects.split(" \\| ")), p.defects());
    int[] codes =
        Arrays.stream(v.expected("options").split(",")).mapToInt(Integer::parseInt).toArray();
    assertEquals(Arrays.toString(codes), Arrays.toString(p.options().codes()));
    assertEquals(MessageType.DISCOVER, p.messageType(), "the rest of the packet is usable");
    assertEquals("02:c0:de:00:00:01", p.mac().toString());
  }
}
