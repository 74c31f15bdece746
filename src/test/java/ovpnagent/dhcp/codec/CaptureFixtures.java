package ovpnagent.dhcp.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Loads the real captures under {@code src/test/resources/dhcp/captures/*.hex}. */
final class CaptureFixtures {
  /** One packet of an exchange: the comment line before it (direction, type) and its bytes. */
  record Packet(String label, byte[] bytes) {
    boolean fromClient() {
      return label.startsWith("client->server");
    }

    /** "DISCOVER" from "client->server DHCPDISCOVER (300 bytes)". */
    String type() {
      String t = label.split(" ")[1];
      return t.startsWith("DHCP") ? t.substring(4) : t;
    }
  }

  /** One file: its header comment lines and its packets in order. */
  record Exchange(String name, List<String> header, List<Packet> packets) {
    String client() {
      return name.substring(0, name.indexOf('-'));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private CaptureFixtures() {}

  static List<Exchange> all() {
    try {
      URL dir = CaptureFixtures.class.getResource("/dhcp/captures");
      if (dir == null) {
        throw new IllegalStateException("no /dhcp/captures on the test class path");
      }
      List<Exchange> out = new ArrayList<>();
      try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".hex")).sorted().toList()) {
          out.add(parse(f.getFileName().toString(), Files.readAllLines(f, StandardCharsets.UTF_8)));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Exchange parse(String name, List<String> lines) {
    List<String> header = new ArrayList<>();
    List<Packet> packets = new ArrayList<>();
    String label = null;
    StringBuilder hex = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.startsWith("#")) {
        String text = line.substring(1).strip();
        if (text.startsWith("client->server") || text.startsWith("server->client")) {
          if (label != null) {
            packets.add(new Packet(label, HexFormat.of().parseHex(hex)));
          }
          label = text;
          hex.setLength(0);
        } else if (label == null) {
          header.add(text);
        }
      } else if (!line.isEmpty()) {
        hex.append(line);
      }
    }
    if (label != null) {
      packets.add(new Packet(label, HexFormat.of().parseHex(hex)));
    }
    return new Exchange(name.replace(".hex", ""), header, packets);
  }
}
