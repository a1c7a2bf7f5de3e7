package ai.codvid.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code X-Codvid-Signature: sha256=<hex>}, the lower-case hex HMAC-SHA256 of
 * {@code "<X-Codvid-Timestamp>.<raw body>"} keyed with the UTF-8 bytes of the rule's secret.
 */
public final class Signature {

  public static final String PREFIX = "sha256=";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Signature() {
  }

  /** A new secret: 256 random bits as 64 hex characters. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The header value for this timestamp (epoch seconds, as sent) and body. */
  public static String header(String secret, String timestamp, String body) {
    return PREFIX + hex(secret, timestamp + "." + body);
  }

  static String hex(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
