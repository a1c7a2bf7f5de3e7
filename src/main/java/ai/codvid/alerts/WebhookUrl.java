package ai.codvid.alerts;

import ai.codvid.CodvidException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A webhook URL as checked before it is stored or called: absolute {@code http} or {@code https},
 * a host, no user info (credentials belong in the signature secret), no fragment, at most
 * {@value #MAX_LENGTH} characters.
 *
 * @param host the host as written, lower-cased, without the brackets of an IPv6 literal
 * @param requestUri the path and query sent in the request line ({@code /} when empty)
 */
public record WebhookUrl(String url, boolean https, String host, int port, String requestUri) {

  public static final int MAX_LENGTH = 2048;

  /** Parses a webhook URL or fails with a 400 that says what is wrong. */
  public static WebhookUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw CodvidException.badRequest("webhook_url must be an http or https URL");
    }
    if (url.length() > MAX_LENGTH) {
      throw CodvidException.badRequest("webhook_url is too long (at most " + MAX_LENGTH + " characters)");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw CodvidException.badRequest("webhook_url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw CodvidException.badRequest("webhook_url must use http or https" + (scheme.isEmpty() ? "" : ", not " + scheme + ":"));
    }
    if (!uri.isOpaque() && uri.getHost() == null && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
      throw CodvidException.badRequest("webhook_url does not name a valid host (a DNS name or an IP address)");
    }
    if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw CodvidException.badRequest("webhook_url must name a host (http://host/path or https://host/path)");
    }
    if (uri.getRawUserInfo() != null) {
      throw CodvidException.badRequest("webhook_url must not carry a user name or password");
    }
    if (uri.getRawFragment() != null) {
      throw CodvidException.badRequest("webhook_url must not have a #fragment");
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    if (port < 1 || port > 65535) {
      throw CodvidException.badRequest("webhook_url has an invalid port");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new WebhookUrl(url.strip(), https, host, port, requestUri);
  }

  /** True when the host is an IPv6 literal (it needs brackets in the Host header). */
  boolean ipv6Literal() {
    return host.indexOf(':') >= 0;
  }
}
