package ai.codvid.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The one user of the embedded store's wire protocol. The password is {@code
 * embedded_mongo.password} when set (so the other nodes of a one-machine cluster can be given
 * it), otherwise generated once and kept in {@code store-credentials} (mode 0600) in the data
 * directory (mode 0700), so only the account running the node can read it.
 */
public record StoreCredentials(String user, String password) {

  public static final String USER = "codvid";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  static StoreCredentials load(StoreFiles files, String configured) {
    if (configured != null && !configured.isBlank()) {
      return new StoreCredentials(USER, configured);
    }
    Path file = files.credentials();
    try {
      if (Files.exists(file)) {
        JsonObject stored = new JsonObject(Files.readString(file));
        return new StoreCredentials(stored.getString("user", USER), stored.getString("password"));
      }
      StoreCredentials generated = new StoreCredentials(USER, generate());
      StoreFiles.writeOwnerOnly(file, new JsonObject().put("user", generated.user()).put("password", generated.password()).encode());
      return generated;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot read or create the store credentials " + file + ": " + e.getMessage(), e);
    }
  }

  private static String generate() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }

  /** A connection string for the embedded store at {@code 127.0.0.1:port} with these credentials. */
  public String uri(int port) {
    return uri(password, port);
  }

  /** The connection string other nodes use for an embedded store served on {@code port} with {@code password}. */
  public static String uri(String password, int port) {
    return "mongodb://" + USER + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:" + port
        + "/?authSource=admin&authMechanism=" + ScramSha256.MECHANISM;
  }

  @Override
  public String toString() {
    return "StoreCredentials[user=" + user + ", password=***]";
  }
}
