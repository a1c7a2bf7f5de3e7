package ai.codvid.alerts;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Which addresses a webhook may connect to (server-side request forgery policy).
 *
 * <p>Refused always: cloud metadata endpoints (169.254.169.254, 169.254.170.2, 169.254.170.23,
 * fd00:ec2::254, fd00:ec2::23, 100.100.100.200, 192.0.0.192), unspecified (0.0.0.0/8, ::),
 * multicast (224.0.0.0/4, ff00::/8), broadcast and reserved (240.0.0.0/4), documentation and
 * benchmarking ranges, and every IPv6 address outside global unicast 2000::/3.
 *
 * <p>Refused unless private webhooks are allowed: loopback (127.0.0.0/8, ::1), private
 * (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10), shared CGNAT space
 * (100.64/10), IETF protocol assignments (192.0.0.0/24), site-local fec0::/10.
 *
 * <p>An IPv6 address that carries an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible
 * ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by that IPv4 address, and Teredo
 * (2001::/32) is refused since its embedded address is obfuscated.
 */
public final class AddressPolicy {

  private static final Set<String> METADATA = Set.of("169.254.169.254", "169.254.170.2", "169.254.170.23",
      "100.100.100.200", "192.0.0.192", "fd00:ec2:0:0:0:0:0:254", "fd00:ec2:0:0:0:0:0:23");

  private AddressPolicy() {
  }

  /** Why a webhook may not connect to this address, or null when it may. */
  public static String refusal(InetAddress address, boolean allowPrivate) {
    if (METADATA.contains(address.getHostAddress().replaceAll("%.*$", ""))) {
      return "a cloud metadata address";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return refusalV4(b, allowPrivate);
    }
    if (address instanceof Inet6Address) {
      return refusalV6(b, allowPrivate);
    }
    return "an unknown kind of address";
  }

  private static String refusalV4(byte[] b, boolean allowPrivate) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    String fixed;
    if (a0 == 0) {
      fixed = "an unspecified address";
    } else if (a0 >= 224 && a0 <= 239) {
      fixed = "a multicast address";
    } else if (a0 >= 240) {
      fixed = "a reserved or broadcast address";
    } else if (a0 == 192 && a1 == 0 && a2 == 2 || a0 == 198 && a1 == 51 && a2 == 100 || a0 == 203 && a1 == 0 && a2 == 113) {
      fixed = "a documentation address";
    } else if (a0 == 198 && (a1 == 18 || a1 == 19)) {
      fixed = "a benchmarking address";
    } else if (a0 == 192 && a1 == 88 && a2 == 99) {
      fixed = "a reserved relay address";
    } else {
      fixed = null;
    }
    if (fixed != null) {
      return fixed;
    }
    String local;
    if (a0 == 127) {
      local = "a loopback address";
    } else if (a0 == 10 || a0 == 172 && a1 >= 16 && a1 <= 31 || a0 == 192 && a1 == 168) {
      local = "a private address";
    } else if (a0 == 169 && a1 == 254) {
      local = "a link-local address";
    } else if (a0 == 100 && a1 >= 64 && a1 <= 127) {
      local = "a shared (CGNAT) address";
    } else if (a0 == 192 && a1 == 0 && a2 == 0) {
      local = "an IETF protocol address";
    } else {
      local = null;
    }
    return local != null && !allowPrivate ? local : null;
  }

  private static String refusalV6(byte[] b, boolean allowPrivate) {
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return embedded(b, 12, allowPrivate, "IPv4-mapped");
    }
    if (isZero(b, 0, 12)) {
      if (isZero(b, 12, 16)) {
        return "an unspecified address";
      }
      if (isZero(b, 12, 15) && b[15] == 1) {
        return allowPrivate ? null : "a loopback address";
      }
      return embedded(b, 12, allowPrivate, "IPv4-compatible");
    }
    if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
      return embedded(b, 12, allowPrivate, "NAT64");
    }
    int first = b[0] & 0xff;
    if (first == 0xff) {
      return "a multicast address";
    }
    if ((first & 0xfe) == 0xfc) {
      return allowPrivate ? null : "a private (unique local) address";
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
      return allowPrivate ? null : "a link-local address";
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
      return allowPrivate ? null : "a site-local address";
    }
    if ((first & 0xe0) != 0x20) {
      return "a reserved address";
    }
    int second = b[1] & 0xff;
    if (first == 0x20 && second == 0x02) {
      return embedded(b, 2, allowPrivate, "6to4");
    }
    if (first == 0x20 && second == 0x01 && (b[2] & 0xfe) == 0x00) {
      return "a reserved (IETF, Teredo) address";
    }
    if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
      return "a documentation address";
    }
    if (first == 0x3f && (second & 0xf0) == 0xf0) {
      return "a documentation address";
    }
    return null;
  }

  private static String embedded(byte[] b, int from, boolean allowPrivate, String form) {
    byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
    try {
      String inner = refusal(InetAddress.getByAddress(v4), allowPrivate);
      return inner == null ? null : inner + " (" + form + ")";
    } catch (UnknownHostException e) {
      return "an unreadable address";
    }
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
