package ai.codvid.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as MongoDB speaks it over
 * {@code saslStart} / {@code saslContinue}, for the one user of the embedded store. The
 * password itself is never kept: only the salted keys derived from it.
 */
final class ScramSha256 {

  static final String MECHANISM = "SCRAM-SHA-256";
  private static final int ITERATIONS = 15_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String user;
  private final byte[] salt;
  private final byte[] storedKey;
  private final byte[] serverKey;

  ScramSha256(String user, String password) {
    this.user = user;
    this.salt = new byte[28];
    RANDOM.nextBytes(salt);
    byte[] salted = hi(password, salt, ITERATIONS);
    byte[] clientKey = hmac(salted, "Client Key");
    this.storedKey = sha256(clientKey);
    this.serverKey = hmac(salted, "Server Key");
  }

  /** One authentication attempt on one connection. */
  final class Conversation {
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private boolean proven;

    /** The server-first-message for a client-first-message; fails for another user or a malformed message. */
    byte[] start(byte[] clientFirst) {
      String message = new String(clientFirst, StandardCharsets.UTF_8);
      if (!message.startsWith("n,,")) {
        throw new IllegalArgumentException("channel binding is not supported");
      }
      clientFirstBare = message.substring(3);
      Map<String, String> fields = fields(clientFirstBare);
      String name = fields.getOrDefault("n", "").replace("=2C", ",").replace("=3D", "=");
      String clientNonce = fields.get("r");
      if (!user.equals(name) || clientNonce == null || clientNonce.isEmpty()) {
        throw new IllegalArgumentException("unknown user");
      }
      byte[] serverNonce = new byte[24];
      RANDOM.nextBytes(serverNonce);
      nonce = clientNonce + Base64.getEncoder().encodeToString(serverNonce);
      serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
      return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /** The server-final-message ({@code v=...}) for a client-final-message with a correct proof; fails otherwise. */
    byte[] finish(byte[] clientFinal) {
      if (serverFirst == null) {
        throw new IllegalArgumentException("no conversation started");
      }
      String message = new String(clientFinal, StandardCharsets.UTF_8);
      int proofAt = message.lastIndexOf(",p=");
      if (proofAt < 0) {
        throw new IllegalArgumentException("no proof");
      }
      String withoutProof = message.substring(0, proofAt);
      Map<String, String> fields = fields(withoutProof);
      if (!nonce.equals(fields.get("r")) || !"biws".equals(fields.get("c"))) {
        throw new IllegalArgumentException("nonce or channel binding mismatch");
      }
      byte[] proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
      String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] clientSignature = hmac(storedKey, authMessage);
      if (proof.length != clientSignature.length) {
        throw new IllegalArgumentException("bad proof");
      }
      byte[] clientKey = new byte[proof.length];
      for (int i = 0; i < proof.length; i++) {
        clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
      }
      if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) {
        throw new IllegalArgumentException("wrong password");
      }
      proven = true;
      return ("v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage))).getBytes(StandardCharsets.UTF_8);
    }

    boolean proven() {
      return proven;
    }
  }

  Conversation conversation() {
    return new Conversation();
  }

  private static Map<String, String> fields(String message) {
    Map<String, String> fields = new HashMap<>();
    for (String part : message.split(",")) {
      int eq = part.indexOf('=');
      if (eq == 1) {
        fields.put(part.substring(0, 1), part.substring(2));
      }
    }
    return fields;
  }

  private static byte[] hi(String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
