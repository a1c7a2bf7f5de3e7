package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Authentication, sessions and the request envelope")
class AuthApiTest {

  private static final String SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

  private CodvidApp app;
  private ApiClient api;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = TestNode.config(TestNode.tempDir()).put("jwt", new JsonObject().put("secret", SECRET));
    TestNode.start(vertx, config).onComplete(ctx.succeeding(started -> {
      app = started;
      api = new ApiClient(vertx, app.httpPort());
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject credentials(String email, String password) {
    return new JsonObject().put("auth_type", "email").put("email", email).put("password", password);
  }

  private static void assertFailure(HttpResponse<Buffer> response, int status, String message) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("result"));
    if (message != null) {
      assertEquals(message, body.getString("message"));
    }
    assertFalse(response.bodyAsString().contains("Exception"), "no stack trace or exception text");
  }

  @Test
  @DisplayName("ping answers pong on GET and POST, with or without a body")
  void ping(VertxTestContext ctx) {
    Future.all(api.get("/ping", null), api.post("/ping", null, new JsonObject()), api.raw(HttpMethod.POST, "/ping", null, null))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 3; i++) {
            HttpResponse<Buffer> response = all.resultAt(i);
            assertEquals(200, response.statusCode());
            assertEquals("pong", response.bodyAsJsonObject().getString("message"));
            assertEquals(true, response.bodyAsJsonObject().getBoolean("result"));
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("signup answers 201 with a token and user id; login with the same credentials works, email normalised")
  void signupAndLogin(VertxTestContext ctx) {
    api.post("/auth/signup", null, credentials("  Alice@Example.COM ", "s3cret!-long"))
        .compose(signup -> {
          ctx.verify(() -> {
            assertEquals(201, signup.statusCode());
            JsonObject body = signup.bodyAsJsonObject();
            assertTrue(body.getBoolean("result"));
            assertNotNull(body.getString("token"));
            assertNotNull(body.getString("user_id"));
          });
          return api.post("/auth/login", null, credentials("alice@example.com", "s3cret!-long"))
              .map(login -> {
                ctx.verify(() -> {
                  assertEquals(201, login.statusCode());
                  assertEquals(signup.bodyAsJsonObject().getString("user_id"), login.bodyAsJsonObject().getString("user_id"));
                });
                return login.bodyAsJsonObject().getString("token");
              });
        })
        .compose(token -> api.get("/auth/get_uuid", token))
        .onComplete(ctx.succeeding(uuid -> ctx.verify(() -> {
          assertEquals(200, uuid.statusCode());
          JsonObject body = uuid.bodyAsJsonObject();
          assertEquals(body.getString("uuid"), body.getJsonObject("response").getString("uuid"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("duplicate signup, unknown email and wrong password get the seed's 400 messages")
  void credentialErrors(VertxTestContext ctx) {
    api.signup("bob@example.com", "pw-bob-long")
        .compose(t -> api.post("/auth/signup", null, credentials("BOB@example.com", "another-password")))
        .compose(dup -> {
          ctx.verify(() -> assertFailure(dup, 400, "Email is already linked to an account"));
          return api.post("/auth/login", null, credentials("nobody@example.com", "x"));
        })
        .compose(unknown -> {
          ctx.verify(() -> assertFailure(unknown, 400, "Email is not linked to an account."));
          return api.post("/auth/login", null, credentials("bob@example.com", "wrong"));
        })
        .onComplete(ctx.succeeding(wrong -> ctx.verify(() -> {
          assertFailure(wrong, 400, "wrong password.");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("hostile credential fields get a clear 400, never reach a query as operators")
  void hostileCredentials(VertxTestContext ctx) {
    List<JsonObject> inputs = List.of(
        new JsonObject().put("auth_type", "email").put("password", "x"),
        new JsonObject().put("auth_type", "email").put("email", new JsonObject().put("$ne", (Object) null)).put("password", "x"),
        new JsonObject().put("auth_type", "email").put("email", "a@b.co").put("password", new JsonObject().put("$gt", "")),
        new JsonObject().put("auth_type", "email").put("email", "a@b.co").put("password", ""),
        new JsonObject().put("auth_type", "email").put("email", "not-an-email").put("password", "x"),
        new JsonObject().put("auth_type", "email").put("email", "a".repeat(300) + "@b.co").put("password", "x"),
        new JsonObject().put("auth_type", "email").put("email", "a\u0000b@c.co").put("password", "x"),
        new JsonObject().put("auth_type", "email").put("email", "a@b.co").put("password", "p".repeat(5000)),
        new JsonObject().put("auth_type", "google").put("email", "a@b.co").put("password", "x"),
        new JsonObject().put("auth_type", "email").put("email", 42).put("password", "x"));
    List<String> expected = List.of("missing email!", "email must be a string", "password must be a string",
        "missing password!", "Invalid email address", "email is too long (at most 254 characters)",
        "email must not contain control characters", "password is too long (at most 1024 characters)",
        "Unsupported auth_type: only \"email\" is supported", "email must be a string");
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (JsonObject input : inputs) {
      calls.add(api.post("/auth/signup", null, input));
      calls.add(api.post("/auth/login", null, input));
    }
    Future.all(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int i = 0; i < inputs.size(); i++) {
        assertFailure(all.resultAt(2 * i), 400, expected.get(i));
        assertFailure(all.resultAt(2 * i + 1), 400, expected.get(i));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("protected routes refuse missing, non-Bearer, tampered, expired, alg-none and wrongly-signed tokens with 401")
  void badTokens(Vertx vertx, VertxTestContext ctx) {
    JWTAuth ours = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    JWTAuth other = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("another-secret-another-secret-another-secret")));
    api.signup("erin@example.com", "test-password-1").onComplete(ctx.succeeding(valid -> {
      String userId = new JsonObject(new String(Base64.getUrlDecoder().decode(valid.split("\\.")[1]), StandardCharsets.UTF_8)).getString("sub");
      String expired = ours.generateToken(new JsonObject().put("sub", userId).put("exp", System.currentTimeMillis() / 1000 - 3600), new JWTOptions().setAlgorithm("HS256"));
      String wrongKey = other.generateToken(new JsonObject().put("sub", userId), new JWTOptions().setAlgorithm("HS256"));
      String[] parts = valid.split("\\.");
      String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
          new JsonObject().put("sub", "someone-else").put("exp", 4102444800L).encode().getBytes(StandardCharsets.UTF_8));
      String tampered = parts[0] + "." + tamperedPayload + "." + parts[2];
      String algNone = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
          + "." + parts[1] + ".";
      String invalid = "Unauthorized: invalid or expired token";
      List<Future<HttpResponse<Buffer>>> calls = List.of(
          api.post("/project/get-project-list", null, null),
          api.request(HttpMethod.POST, "/project/get-project-list", null).putHeader("Authorization", valid).send(),
          api.request(HttpMethod.POST, "/project/get-project-list", null).putHeader("Authorization", "Basic " + valid).send(),
          api.post("/project/get-project-list", tampered, null),
          api.post("/project/get-project-list", expired, null),
          api.post("/project/get-project-list", algNone, null),
          api.post("/project/get-project-list", wrongKey, null),
          api.post("/project/get-project-list", "garbage", null),
          api.get("/auth/get_uuid", null),
          api.post("/project/get-project-list", valid, null));
      Future.all(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertFailure(all.resultAt(0), 401, "Unauthorized: missing session token while accessing non-public routes");
        assertFailure(all.resultAt(1), 401, null);
        assertFailure(all.resultAt(2), 401, null);
        for (int i = 3; i <= 7; i++) {
          assertFailure(all.resultAt(i), 401, invalid);
        }
        assertFailure(all.resultAt(8), 401, "Unauthorized: missing session token while accessing non-public routes");
        assertEquals(200, ((HttpResponse<?>) all.resultAt(9)).statusCode());
        ctx.completeNow();
      })));
    }));
  }

  /** A token signed with the node's secret over exactly the given header and claims. */
  private static String signed(String header, String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("correctly signed tokens without exp, with a string exp, a future iat or nbf, or malformed claims answer 401, never 500")
  void strictClaims(VertxTestContext ctx) {
    api.signup("claims@example.com", "test-password-1").onComplete(ctx.succeeding(valid -> {
      String sub = new JsonObject(new String(Base64.getUrlDecoder().decode(valid.split("\\.")[1]), StandardCharsets.UTF_8)).getString("sub");
      long now = System.currentTimeMillis() / 1000;
      String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
      List<String> refused = List.of(
          signed(header, new JsonObject().put("sub", sub).put("iat", now).encode()),
          signed(header, new JsonObject().put("sub", sub).put("iat", now).put("exp", "9999999999").encode()),
          signed(header, new JsonObject().put("sub", sub).put("exp", true).encode()),
          signed(header, new JsonObject().put("sub", sub).put("exp", new JsonObject()).encode()),
          signed(header, new JsonObject().put("sub", sub).put("exp", now + 3600).put("iat", "yesterday").encode()),
          signed(header, new JsonObject().put("sub", sub).put("exp", now + 3600).put("iat", now + 3000).encode()),
          signed(header, new JsonObject().put("sub", sub).put("exp", now + 3600).put("nbf", now + 3000).encode()),
          signed(header, new JsonObject().put("sub", sub).put("exp", now + 3600).put("nbf", "now").encode()),
          signed(header, new JsonObject().put("sub", 42).put("exp", now + 3600).encode()),
          signed(header, "[1,2,3]"),
          signed(header, "not json at all"),
          signed("{\"alg\":\"HS256\"", new JsonObject().put("sub", sub).put("exp", now + 3600).encode()),
          signed("[]", new JsonObject().put("sub", sub).put("exp", now + 3600).encode()),
          "a.b.c", "..", "x.y", valid + ".extra", valid.replace('.', '!'));
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (String token : refused) {
        calls.add(api.post("/project/get-project-list", token, null));
      }
      calls.add(api.post("/project/get-project-list",
          signed(header, new JsonObject().put("sub", sub).put("iat", now).put("nbf", now).put("exp", now + 3600).encode()), null));
      Future.all(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < refused.size(); i++) {
          assertFailure(all.resultAt(i), 401, "Unauthorized: invalid or expired token");
        }
        assertEquals(200, ((HttpResponse<?>) all.resultAt(refused.size())).statusCode(), "a well-formed token of ours still works");
        ctx.completeNow();
      })));
    }));
  }

  @Test
  @DisplayName("a node refuses to start with a configured or stored JWT secret shorter than 32 bytes, and says why")
  void shortSecretsRefused(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path dir = TestNode.tempDir();
    Files.writeString(dir.resolve("jwt-secret"), "abc");
    Future<String> configured = TestNode.start(vertx, TestNode.config(TestNode.tempDir()).put("jwt", new JsonObject().put("secret", "a")))
        .compose(node -> node.close().map("started"), failure -> Future.succeededFuture(failure.getMessage()));
    Future<String> stored = TestNode.start(vertx, TestNode.config(dir))
        .compose(node -> node.close().map("started"), failure -> Future.succeededFuture(failure.getMessage()));
    Future<String> generated = TestNode.start(vertx, TestNode.config(TestNode.tempDir()))
        .compose(node -> node.close().map(v -> {
          try {
            return Files.readString(node.config().dataDir().resolve("jwt-secret")).trim();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }));
    Future.all(configured, stored, generated).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertTrue(configured.result().contains("CODVID_JWT_SECRET") && configured.result().contains("at least 32 bytes"), configured.result());
      assertTrue(stored.result().contains("jwt-secret") && stored.result().contains("at least 32 bytes"), stored.result());
      assertTrue(Base64.getUrlDecoder().decode(generated.result()).length >= 32, "a generated secret has at least 256 bits");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("malformed envelopes get the contract's 400 messages; a body over 1 MiB gets 413")
  void badEnvelopes(VertxTestContext ctx) {
    api.signup("frank@example.com", "test-password-1").onComplete(ctx.succeeding(token -> {
      String path = "/project/create-project";
      List<Future<HttpResponse<Buffer>>> calls = List.of(
          api.raw(HttpMethod.POST, path, token, "{not json"),
          api.raw(HttpMethod.POST, path, token, "[1,2,3]"),
          api.raw(HttpMethod.POST, path, token, "\"just a string\""),
          api.raw(HttpMethod.POST, path, token, "{\"schema_version\": \"3.0\", \"data\": {}}"),
          api.raw(HttpMethod.POST, path, token, "{\"data\": {\"project_name\": \"x\"}}"),
          api.raw(HttpMethod.POST, path, token, "{\"schema_version\": \"4.0\"}"),
          api.raw(HttpMethod.POST, path, token, "{\"schema_version\": \"4.0\", \"data\": [1]}"),
          api.raw(HttpMethod.POST, path, token, "{\"schema_version\": \"4.0\", \"data\": {\"project_name\": \"" + "x".repeat(1_100_000) + "\"}}"),
          api.raw(HttpMethod.POST, "/no/such/route", token, null),
          api.raw(HttpMethod.PUT, "/auth/login", null, null));
      Future.all(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertFailure(all.resultAt(0), 400, "Invalid JSON request body");
        assertFailure(all.resultAt(1), 400, null);
        assertFailure(all.resultAt(2), 400, null);
        assertFailure(all.resultAt(3), 400, "Schema version mismatch. Expected 4.0, got 3.0");
        assertFailure(all.resultAt(4), 400, "Schema version mismatch. Expected 4.0, got None");
        assertFailure(all.resultAt(5), 400, "Missing data field");
        assertFailure(all.resultAt(6), 400, "The data field must be a JSON object");
        assertFailure(all.resultAt(7), 413, "Request body too large");
        assertFailure(all.resultAt(8), 404, "Not found");
        assertFailure(all.resultAt(9), 405, "Method not allowed");
        ctx.completeNow();
      })));
    }));
  }

  @Test
  @DisplayName("deleting the account removes its data and its tokens stop working at once")
  void deleteAccount(VertxTestContext ctx) {
    api.signup("gina@example.com", "test-password-1")
        .compose(token -> api.post("/project/create-project", token, new JsonObject().put("project_name", "launch"))
            .compose(created -> api.call(HttpMethod.DELETE, "/user/delete-account", token, null))
            .compose(deleted -> {
              ctx.verify(() -> assertEquals(200, deleted.statusCode()));
              return Future.all(api.post("/project/get-project-list", token, null),
                  api.post("/auth/login", null, credentials("gina@example.com", "test-password-1")),
                  app.services().mongo.count("projects", new JsonObject()));
            }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertFailure(all.resultAt(0), 401, "Unauthorized: invalid or expired token");
          assertFailure(all.resultAt(1), 400, "Email is not linked to an account.");
          assertEquals(0L, (Long) all.resultAt(2));
          ctx.completeNow();
        })));
  }
}
