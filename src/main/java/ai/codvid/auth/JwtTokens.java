package ai.codvid.auth;

import ai.codvid.CodvidException;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
 * so tokens survive a restart. There is no built-in default secret.
 */
public final class JwtTokens {

  private static final Logger LOG = LoggerFactory.getLogger(JwtTokens.class);
  public static final String SECRET_FILE = "jwt-secret";
  public static final String SETTINGS = "settings";
  public static final String INVALID = "Unauthorized: invalid or expired token";

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
            .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setLeeway(5))),
            config.jwtExpirySeconds()));
  }

  static Future<String> sharedSecret(MongoClient mongo) {
    JsonObject key = new JsonObject().put("_id", SECRET_FILE);
    JsonObject generated = key.copy().put("value", randomSecret());
    return mongo.insert(SETTINGS, generated)
        .map(id -> generated.getString("value"))
        .recover(failure -> MongoErrors.isDuplicateKey(failure)
            ? mongo.findOne(SETTINGS, key, null).map(doc -> doc.getString("value"))
            : Future.failedFuture(failure));
  }

  private static String randomSecret() {
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  static String resolveSecret(AppConfig config) throws IOException {
    String configured = config.jwtSecret();
    if (configured != null) {
      if (configured.getBytes(StandardCharsets.UTF_8).length < 32) {
        LOG.warn("CODVID_JWT_SECRET is shorter than 32 bytes; use a long random secret in production");
      }
      return configured;
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
    String secret = Files.readString(file).trim();
    if (secret.isEmpty()) {
      throw new IllegalStateException("The JWT secret file " + file.toAbsolutePath() + " is empty; delete it to generate a new one");
    }
    return secret;
  }

  /** A signed token for the user. */
  public String issue(String userId) {
    return jwt.generateToken(new JsonObject().put("sub", userId),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, expirySeconds)));
  }

  /** The user id of a valid token; fails with 401 for anything else (bad signature, expired, alg none…). */
  public Future<String> verify(String token) {
    if (token == null || token.isBlank() || token.length() > 4096) {
      return Future.failedFuture(CodvidException.unauthorized(INVALID));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .map(user -> user.principal().getString("sub"))
        .recover(failure -> Future.failedFuture(CodvidException.unauthorized(INVALID)))
        .compose(sub -> sub == null || sub.isBlank()
            ? Future.failedFuture(CodvidException.unauthorized(INVALID))
            : Future.succeededFuture(sub));
  }
}
