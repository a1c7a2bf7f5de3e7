package ai.codvid.alerts;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Which addresses a webhook may reach")
class AddressPolicyTest {

  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  /** An IPv6 address from its 16 bytes, so Java cannot turn an IPv4-mapped one into an IPv4 address first. */
  private static InetAddress v6(String hex) throws Exception {
    byte[] bytes = java.util.HexFormat.of().parseHex(hex);
    return java.net.Inet6Address.getByAddress(null, bytes, -1);
  }

  @ParameterizedTest(name = "{0} is refused without the flag and allowed with it")
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1",
      "169.254.1.1", "100.64.0.1", "100.127.255.255", "192.0.0.8", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1",
      "::ffff:10.1.2.3", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::"})
  void privateNetworks(String literal) throws Exception {
    assertNotNull(AddressPolicy.refusal(address(literal), false), literal);
    assertNull(AddressPolicy.refusal(address(literal), true), literal);
  }

  @ParameterizedTest(name = "{0} is refused even with the flag")
  @ValueSource(strings = {"169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192",
      "0.0.0.0", "0.1.2.3", "::", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "ff02::1",
      "192.0.2.10", "198.51.100.1", "203.0.113.7", "198.18.0.1", "2001:db8::1", "2001::1", "100::1", "3fff::1",
      "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::"})
  void neverReachable(String literal) throws Exception {
    assertNotNull(AddressPolicy.refusal(address(literal), false), literal);
    assertNotNull(AddressPolicy.refusal(address(literal), true), literal);
  }

  @ParameterizedTest(name = "{0} is a public address")
  @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
      "169.253.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "2002:5db8:d70e::"})
  void publicAddresses(String literal) throws Exception {
    assertNull(AddressPolicy.refusal(address(literal), false), literal);
  }

  @ParameterizedTest(name = "the IPv4-mapped form {0} is judged by its IPv4 address")
  @ValueSource(strings = {"00000000000000000000ffff7f000001", "00000000000000000000ffffa9fea9fe", "00000000000000000000ffff0a000001"})
  void mappedForms(String hex) throws Exception {
    String refusal = AddressPolicy.refusal(v6(hex), false);
    assertNotNull(refusal, hex);
    assertTrue(refusal.contains("IPv4-mapped"), refusal);
  }
}
