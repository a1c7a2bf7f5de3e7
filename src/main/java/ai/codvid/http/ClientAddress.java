package ai.codvid.http;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address a request comes from, as limits count it.
 *
 * <p>It is the connection's peer, unless that peer is one of the trusted proxies
 * ({@code http.trusted_proxies}: addresses or CIDR ranges, comma-separated); then it is the
 * right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy, since each proxy
 * appends the address it received the request from and only those entries can be believed. A
 * client that sends its own {@code X-Forwarded-For} to a node directly, or past the proxies,
 * gains nothing. IPv6 clients are counted by their /64 network, since one host usually holds
 * a whole /64. Host names are never looked up.
 *
 * <p>The first request that carries {@code X-Forwarded-For} from a peer that is not trusted is
 * logged once per node (WARN): behind a load balancer that is not named, every client shares
 * the balancer's address and so its login and signup limits.
 */
final class ClientAddress {

  private static final Logger LOG = LoggerFactory.getLogger(ClientAddress.class);
  private static final AtomicBoolean HINTED = new AtomicBoolean();

  private record Range(byte[] network, int prefix) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      return rest == 0 || ((address[full] ^ network[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
    }
  }

  private final List<Range> trusted;

  /** @param trustedProxies {@code http.trusted_proxies}, e.g. {@code "10.0.0.5, 192.168.0.0/16"}; null or blank for none */
  ClientAddress(String trustedProxies) {
    this.trusted = new ArrayList<>();
    if (trustedProxies == null) {
      return;
    }
    for (String entry : trustedProxies.replaceAll("[\\[\\]\"]", "").split(",")) {
      String value = entry.strip();
      if (!value.isEmpty()) {
        trusted.add(range(value));
      }
    }
  }

  private static Range range(String value) {
    int slash = value.indexOf('/');
    byte[] network = parse(slash < 0 ? value : value.substring(0, slash));
    int prefix;
    try {
      prefix = slash < 0 ? network == null ? 0 : network.length * 8 : Integer.parseInt(value.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (network == null || prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("http.trusted_proxies (CODVID_HTTP_TRUSTED_PROXIES): '" + value
          + "' is not an IP address or CIDR range (host names are not accepted)");
    }
    return new Range(network, prefix);
  }

  /** The limit key of the request's client: an IPv4 address, or an IPv6 /64 network. */
  String of(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null ? null : remote.hostAddress();
    return of(peer, request.headers().getAll("X-Forwarded-For"));
  }

  /** As {@link #of(HttpServerRequest)} for a peer address and the request's X-Forwarded-For headers. */
  String of(String peerAddress, List<String> forwardedFor) {
    byte[] peer = peerAddress == null ? null : parse(peerAddress);
    if (peer == null) {
      return String.valueOf(peerAddress);
    }
    if (!isTrusted(peer)) {
      if (!forwardedFor.isEmpty() && HINTED.compareAndSet(false, true)) {
        LOG.warn("A request from {} carries X-Forwarded-For, which is ignored: that peer is not in http.trusted_proxies "
            + "(CODVID_HTTP_TRUSTED_PROXIES). If it is your load balancer, name it there, or every client behind it shares "
            + "one address and so one set of login and signup limits (docs/security.md). Logged once.", key(peer));
      }
      return key(peer);
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      hops.addAll(Arrays.asList(header.split(",")));
    }
    byte[] client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = parse(hops.get(i));
      if (hop == null) {
        break;
      }
      client = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    return key(client);
  }

  private boolean isTrusted(byte[] address) {
    for (Range range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4; brackets and an IPv4 port allowed), or null. */
  static byte[] parse(String text) {
    String value = text.strip();
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      value = end < 0 ? value : value.substring(1, end);
    } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.indexOf('.') > 0) {
      value = value.substring(0, value.indexOf(':'));
    }
    int zone = value.indexOf('%');
    if (zone > 0) {
      value = value.substring(0, zone);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(value);
    if (bytes != null && bytes.length == 16 && isV4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isV4Mapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    return (v6[10] & 0xFF) == 0xFF && (v6[11] & 0xFF) == 0xFF;
  }

  private static String key(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
    }
    StringBuilder network = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      network.append(Integer.toHexString(((address[i] & 0xFF) << 8) | (address[i + 1] & 0xFF))).append(':');
    }
    return network.append(":/64").toString();
  }
}
