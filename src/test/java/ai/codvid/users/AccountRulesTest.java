package ai.codvid.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Account rules: one account per email however it is written, NIST passwords, old accounts still log in")
class AccountRulesTest {

  private static final String PASSWORD = "a-fine-password-7";

  private Path dataDir;
  private CodvidApp app;
  private ApiClient api;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    dataDir = TestNode.tempDir();
    startNode(vertx).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> startNode(Vertx vertx) {
    return TestNode.start(vertx, TestNode.config(dataDir)
            .put("tracking", new JsonObject().put("scheduler_enabled", false))
            .put("auth", new JsonObject().put("signups_per_address", 100)))
        .map(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          return null;
        });
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject credentials(String email, String password) {
    return new JsonObject().put("auth_type", "email").put("email", email).put("password", password);
  }

  private Future<HttpResponse<Buffer>> signup(String email, String password) {
    return api.post("/auth/signup", null, credentials(email, password));
  }

  private Future<HttpResponse<Buffer>> login(String email, String password) {
    return api.post("/auth/login", null, credentials(email, password));
  }

  /** Runs the calls one after the other (so throttling and ordering are deterministic). */
  private static Future<List<HttpResponse<Buffer>>> inOrder(List<Supplier<Future<HttpResponse<Buffer>>>> calls) {
    Future<List<HttpResponse<Buffer>>> chain = Future.succeededFuture(new ArrayList<>());
    for (var call : calls) {
      chain = chain.compose(list -> call.get().map(r -> {
        list.add(r);
        return list;
      }));
    }
    return chain;
  }

  private static void assertRefused(HttpResponse<Buffer> response, String message, String what) {
    assertEquals(400, response.statusCode(), what + ": " + response.bodyAsString());
    assertEquals(message, response.bodyAsJsonObject().getString("message"), what);
  }

  @Test
  @DisplayName("signup refuses passwords under 8 characters, common ones (any case) and the email itself; long uncommon ones are fine")
  void passwordPolicy(VertxTestContext ctx) {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("a", UserService.PASSWORD_TOO_SHORT);
    refused.put("pw", UserService.PASSWORD_TOO_SHORT);
    refused.put("1234567", UserService.PASSWORD_TOO_SHORT);
    refused.put("😀😀😀😀", UserService.PASSWORD_TOO_SHORT);
    refused.put("password", UserService.PASSWORD_TOO_COMMON);
    refused.put("12345678", UserService.PASSWORD_TOO_COMMON);
    refused.put("iloveyou", UserService.PASSWORD_TOO_COMMON);
    refused.put("Sunshine1", UserService.PASSWORD_TOO_COMMON);
    refused.put("QWERTYUIOP", UserService.PASSWORD_TOO_COMMON);
    refused.put("mallory@example.com", UserService.PASSWORD_IS_EMAIL);
    List<Supplier<Future<HttpResponse<Buffer>>>> calls = new ArrayList<>();
    refused.keySet().forEach(password -> calls.add(() -> signup("mallory@example.com", password)));
    calls.add(() -> signup("mallory@example.com", "correct horse battery staple"));
    inOrder(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      int i = 0;
      for (Map.Entry<String, String> entry : refused.entrySet()) {
        assertRefused(all.get(i++), entry.getValue(), "password " + entry.getKey());
      }
      assertEquals(201, all.get(i).statusCode(), all.get(i).bodyAsString());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("trailing dot, fullwidth letters, NFD, NBSP, IDN and ß spellings of an email reach the same account; invisible characters are refused")
  void oneAccountPerEmail(VertxTestContext ctx) {
    Map<String, List<String>> spellings = new LinkedHashMap<>();
    spellings.put("bob@example.com", List.of("bob@example.com.", "ｂｏｂ@ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com\u00A0",
        "\u00A0Bob@Example.COM", "BOB@EXAMPLE.COM.", "bob@example\u3002com"));
    spellings.put("jos\u00E9@example.com", List.of("jose\u0301@example.com", "JOS\u00C9@EXAMPLE.COM", "JOSE\u0301@example.com"));
    spellings.put("anna@b\u00FCcher.de", List.of("anna@xn--bcher-kva.de", "anna@B\u00DCCHER.de", "anna@bu\u0308cher.de", "ANNA@XN--BCHER-KVA.DE."));
    spellings.put("stra\u00DFe@example.com", List.of("STRASSE@example.com", "strasse@example.com"));
    List<String> invisible = List.of("b\u200Dob@example.com", "bob\u200B@example.com", "bob@exa\u00ADmple.com", "\u202Ebob@example.com",
        "bob@example.com\uFEFF", "bo\u034Fb@example.com", "b\u3164ob@example.com", "bob\u2060@example.com", "b\u200Cob@example.com");
    List<Supplier<Future<HttpResponse<Buffer>>>> calls = new ArrayList<>();
    spellings.forEach((email, variants) -> {
      calls.add(() -> signup(email, PASSWORD));
      variants.forEach(variant -> calls.add(() -> signup(variant, PASSWORD)));
      variants.forEach(variant -> calls.add(() -> login(variant, PASSWORD)));
    });
    invisible.forEach(variant -> calls.add(() -> signup(variant, PASSWORD)));
    invisible.forEach(variant -> calls.add(() -> login(variant, PASSWORD)));
    inOrder(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      int i = 0;
      for (Map.Entry<String, List<String>> entry : spellings.entrySet()) {
        HttpResponse<Buffer> first = all.get(i++);
        assertEquals(201, first.statusCode(), entry.getKey() + ": " + first.bodyAsString());
        String userId = first.bodyAsJsonObject().getString("user_id");
        for (String variant : entry.getValue()) {
          assertRefused(all.get(i++), UserService.EMAIL_TAKEN, "signup as " + variant);
        }
        for (String variant : entry.getValue()) {
          HttpResponse<Buffer> login = all.get(i++);
          assertEquals(201, login.statusCode(), "login as " + variant + ": " + login.bodyAsString());
          assertEquals(userId, login.bodyAsJsonObject().getString("user_id"), "login as " + variant);
        }
      }
      for (String variant : invisible) {
        assertRefused(all.get(i++), EmailAddress.INVISIBLE, "signup as " + variant.replaceAll("\\P{Print}", "?"));
      }
      for (String variant : invisible) {
        HttpResponse<Buffer> login = all.get(i++);
        assertEquals(400, login.statusCode(), "login as " + variant.replaceAll("\\P{Print}", "?"));
        assertFalse(login.bodyAsJsonObject().containsKey("token"));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("accounts stored by the previous version (trimmed and lower-cased only, short passwords) are migrated once and still log in as typed before")
  void storedAccountsStillLogIn(Vertx vertx, VertxTestContext ctx) {
    Argon2Function argon2 = Argon2Function.getInstance(1024, 1, 1, 32, Argon2.ID);
    String hash = argon2.hash("pw").getResult();
    Map<String, String> stored = new LinkedHashMap<>();
    stored.put("legacy-carol", "ｃａｒｏｌ@example.com");
    stored.put("legacy-dave", "dave@example.com.");
    stored.put("legacy-erin", "erin@example.com");
    stored.put("legacy-erin-fullwidth", "ｅｒｉｎ@example.com");
    stored.put("legacy-frank", "fr\u200Dank@example.com");
    stored.put("legacy-gus", "gu\u0073\u0307@example.com");
    List<Future<?>> inserts = new ArrayList<>();
    stored.forEach((id, email) -> inserts.add(app.services().mongo.insert("users", new JsonObject().put("_id", id).put("email", email)
        .put("auth_type", "email").put("password_hash", hash).put("created_at", 1_700_000_000L))));
    Future.all(inserts)
        .compose(v -> app.services().mongo.removeDocument("settings", new JsonObject().put("_id", EmailMigration.MARKER)))
        .compose(v -> {
          api.close();
          return app.close();
        })
        .compose(v -> startNode(vertx))
        .compose(v -> app.services().mongo.find("users", new JsonObject()))
        .compose(users -> {
          Map<String, String> emails = new LinkedHashMap<>();
          users.forEach(u -> emails.put(u.getString("_id"), u.getString("email")));
          ctx.verify(() -> {
            assertEquals("carol@example.com", emails.get("legacy-carol"));
            assertEquals("dave@example.com", emails.get("legacy-dave"));
            assertEquals("erin@example.com", emails.get("legacy-erin"));
            assertEquals("ｅｒｉｎ@example.com", emails.get("legacy-erin-fullwidth"), "left alone: its canonical form is taken");
            assertEquals("fr\u200Dank@example.com", emails.get("legacy-frank"), "left alone: no canonical form");
          });
          List<Supplier<Future<HttpResponse<Buffer>>>> calls = List.of(
              () -> login("carol@example.com", "pw"), () -> login("ｃａｒｏｌ@example.com", "pw"),
              () -> login("dave@example.com.", "pw"), () -> login("Dave@Example.com", "pw"),
              () -> login("erin@example.com", "pw"), () -> login("ｅｒｉｎ@example.com", "pw"),
              () -> login("fr\u200Dank@example.com", "pw"), () -> login("gu\u0073\u0307@example.com", "pw"),
              () -> signup("Carol@Example.com", PASSWORD));
          return inOrder(calls);
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<String> expected = List.of("legacy-carol", "legacy-carol", "legacy-dave", "legacy-dave", "legacy-erin",
              "legacy-erin-fullwidth", "legacy-frank", "legacy-gus");
          for (int i = 0; i < expected.size(); i++) {
            assertEquals(201, all.get(i).statusCode(), "login " + i + ": " + all.get(i).bodyAsString());
            assertEquals(expected.get(i), all.get(i).bodyAsJsonObject().getString("user_id"), "login " + i);
          }
          assertRefused(all.get(expected.size()), UserService.EMAIL_TAKEN, "signup over a migrated account");
          ctx.completeNow();
        })));
  }
}
