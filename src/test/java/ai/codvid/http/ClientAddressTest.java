package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client address limits count: the peer, or X-Forwarded-For only from trusted proxies")
class ClientAddressTest {

  private final ClientAddress none = new ClientAddress(null);
  private final ClientAddress proxies = new ClientAddress("10.0.0.5, 192.168.0.0/16, fd00::/8, [2001:db8::1]");

  @Test
  @DisplayName("without trusted proxies the header is ignored; IPv6 clients count by their /64, IPv4-mapped ones as IPv4")
  void peerOnly() {
    assertEquals("203.0.113.9", none.of("203.0.113.9", List.of("198.51.100.1")));
    assertEquals("2001:db8:1:2::/64", none.of("2001:db8:1:2:aaaa::1", List.of()));
    assertEquals("2001:db8:1:2::/64", none.of("2001:db8:1:2:bbbb::2", List.of()));
    assertEquals("198.51.100.7", none.of("::ffff:198.51.100.7", List.of()));
    assertEquals("10.0.0.5", proxies.of("10.0.0.5", List.of()), "a trusted peer without the header is the client itself");
  }

  @Test
  @DisplayName("from a trusted proxy the client is the right-most entry that is not a trusted proxy")
  void rightMostUntrusted() {
    assertEquals("198.51.100.1", proxies.of("10.0.0.5", List.of("198.51.100.1")));
    assertEquals("198.51.100.2", proxies.of("10.0.0.5", List.of("6.6.6.6, 198.51.100.2")), "a spoofed left entry is not believed");
    assertEquals("198.51.100.3", proxies.of("192.168.4.4", List.of("6.6.6.6", "198.51.100.3, 10.0.0.5")), "several headers, two proxies");
    assertEquals("198.51.100.4", proxies.of("fd12::7", List.of("198.51.100.4:51234")), "a port is dropped");
    assertEquals("2001:db8:9:0::/64", proxies.of("2001:db8::1", List.of("[2001:db8:9::5]")));
    assertEquals("10.0.0.5", proxies.of("10.0.0.5", List.of("not-an-address")), "garbage stops at the last trusted hop");
    assertEquals("192.168.1.1", proxies.of("10.0.0.5", List.of("192.168.1.1")), "all hops trusted: the left-most one");
    assertEquals("10.0.0.6", proxies.of("10.0.0.6", List.of("198.51.100.1")), "10.0.0.6 is not trusted");
  }

  @Test
  @DisplayName("host names are never resolved; a bad trusted_proxies entry stops the node with a clear message")
  void literalsOnly() {
    assertNull(ClientAddress.parse("localhost"));
    assertNull(ClientAddress.parse("example.com"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new ClientAddress("lb.internal"));
    assertTrue(bad.getMessage().contains("CODVID_HTTP_TRUSTED_PROXIES"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClientAddress("10.0.0.0/33"));
  }
}
