package ai.codvid.auth;

import ai.codvid.CodvidException;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.mongo.MongoClient;
import ai.codvid.store.MongoErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HS256 session tokens. The secret comes from {@code jwt.secret} ({@code CODVID_JWT_SECRET}) or
 * is generated once with a secure random and kept in {@code <data dir>/jwt-secret} (mode 600),
 * so tokens survive a restart. There is no built-in default secret, and a node refuses to start
 * with one shorter than {@value #MIN_SECRET_BYTES} bytes (RFC 7518 3.2: at least the hash size).
 *
 * <p>A token is accepted only when it is three base64url parts whose header and claims are JSON
 * objects, signed with the secret, with a numeric {@code exp} in the future, a string
 * {@code sub}, and, when present, a numeric {@code iat} and {@code nbf} that are not in the
 * future (5 s of leeway for clock skew). Anything else is a 401, never a 500.
 */
public final class JwtTokens {

  private static final Logger LOG = LoggerFactory.getLogger(JwtTokens.class);
  public static final String SECRET_FILE = "jwt-secret";
  public static final String SETTINGS = "settings";
  public static final String INVALID = "Unauthorized: invalid or expired token";
  public static final int MIN_SECRET_BYTES = 32;
  private static final long LEEWAY_SECONDS = 5;

  private final JWTAuth jwt;
  private final long expirySeconds;

  private JwtTokens(JWTAuth jwt, long expirySeconds) {
    this.jwt = jwt;
    this.expirySeconds = expirySeconds;
  }

  /**
   * Tokens signed with the configured secret; without one, a single node keeps a generated
   * secret in its data directory, and a clustered node shares one generated secret with every
   * node through the store (collection {@code settings}), so a token from any node works on all.
   */
  public static Future<JwtTokens> create(Vertx vertx, AppConfig config, MongoClient mongo) {
    Future<String> secret = config.jwtSecret() == null && config.clustered()
        ? sharedSecret(mongo)
        : vertx.executeBlocking(() -> resolveSecret(config), false);
    return secret
        .map(key -> new JwtTokens(JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key))
            .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setLeeway((int) LEEWAY_SECONDS))),
            config.jwtExpirySeconds()));
  }

  static Future<String> sharedSecret(MongoClient mongo) {
    JsonObject key = new JsonObject().put("_id", SECRET_FILE);
    JsonObject generated = key.copy().put("value", randomSecret());
    return mongo.insert(SETTINGS, generated)
        .map(id -> generated.getString("value"))
        .recover(failure -> MongoErrors.isDuplicateKey(failure)
            ? mongo.findOne(SETTINGS, key, null).map(doc -> doc.getString("value"))
            : Future.failedFuture(failure))
        .map(secret -> requireLongEnough(secret, "The cluster's shared JWT secret (collection " + SETTINGS + ", _id "
            + SECRET_FILE + ")", "delete that document to have a new one generated"));
  }

  /** The secret, or an IllegalStateException that names where it came from and what to do. */
  static String requireLongEnough(String secret, String source, String remedy) {
    int bytes = secret == null ? 0 : secret.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < MIN_SECRET_BYTES) {
      throw new IllegalStateException(source + " is " + bytes + " byte" + (bytes == 1 ? "" : "s") + " long; it must be at least "
          + MIN_SECRET_BYTES + " bytes (256 bits) of random data, or tokens can be forged. " + remedy);
    }
    return secret;
  }

  private static String randomSecret() {
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  static String resolveSecret(AppConfig config) throws IOException {
    String configured = config.jwtSecret();
    if (configured != null) {
      return requireLongEnough(configured, "CODVID_JWT_SECRET (jwt.secret)",
          "Set a long random value (e.g. `openssl rand -base64 48`), or unset it to have one generated and kept in the data directory.");
    }
    Path dir = config.dataDir();
    Files.createDirectories(dir);
    Path file = dir.resolve(SECRET_FILE);
    if (!Files.exists(file)) {
      String secret = randomSecret();
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret);
        LOG.info("Generated a new JWT secret in {}", file.toAbsolutePath());
      } catch (FileAlreadyExistsException raced) {
        LOG.debug("JWT secret created concurrently; reading it");
      } catch (UnsupportedOperationException notPosix) {
        Files.writeString(file, secret);
      }
    }
    return requireLongEnough(Files.readString(file).trim(), "The JWT secret file " + file.toAbsolutePath(),
        "Replace its content with a long random value, or delete it to have one generated.");
  }

  /** A signed token for the user. */
  public String issue(String userId) {
    return jwt.generateToken(new JsonObject().put("sub", userId),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, expirySeconds)));
  }

  /** The user id of a valid token; fails with 401 for anything else (bad signature, expired, no exp, alg none…). */
  public Future<String> verify(String token) {
    if (token == null || token.isBlank() || token.length() > 4096 || !wellFormed(token, System.currentTimeMillis() / 1000)) {
      return Future.failedFuture(CodvidException.unauthorized(INVALID));
    }
    Future<User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformed) {
      return Future.failedFuture(CodvidException.unauthorized(INVALID));
    }
    return authenticated
        .map(user -> user.principal().getValue("sub") instanceof String sub && !sub.isBlank() ? sub : null)
        .recover(failure -> Future.succeededFuture(null))
        .compose(sub -> sub == null
            ? Future.failedFuture(CodvidException.unauthorized(INVALID))
            : Future.succeededFuture(sub));
  }

  /**
   * True when the token is three base64url parts whose header and claims are JSON objects, with a
   * numeric {@code exp}, a string {@code sub}, and any {@code iat} / {@code nbf} numeric and not
   * in the future. The signature is checked afterwards by the JWT library.
   */
  static boolean wellFormed(String token, long nowSeconds) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      return false;
    }
    JsonObject header = jsonPart(parts[0]);
    JsonObject claims = jsonPart(parts[1]);
    if (header == null || claims == null || !(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
      return false;
    }
    Double exp = numeric(claims, "exp");
    if (exp == null || exp + LEEWAY_SECONDS < nowSeconds) {
      return false;
    }
    for (String notLater : new String[] {"iat", "nbf"}) {
      if (claims.containsKey(notLater)) {
        Double at = numeric(claims, notLater);
        if (at == null || at > nowSeconds + LEEWAY_SECONDS) {
          return false;
        }
      }
    }
    return true;
  }

  private static JsonObject jsonPart(String part) {
    try {
      Object decoded = Json.decodeValue(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
      return decoded instanceof JsonObject object ? object : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Double numeric(JsonObject claims, String key) {
    return claims.getValue(key) instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
  }
}
