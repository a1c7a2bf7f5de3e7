package ai.codvid.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Login and signup throttling, played by clients at different loopback addresses (127.0.0.1 is
 * the attacker, 127.0.0.2 the victim) against a node with the default limits.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Login and signup throttling by client address: attackers slow down, victims are never locked out")
class LoginThrottleTest {

  private static final String ATTACKER = "127.0.0.1";
  private static final String VICTIM = "127.0.0.2";
  private static final String PASSWORD = "victim-password-1";

  private CodvidApp app;
  private final List<ApiClient> clients = new ArrayList<>();

  @AfterEach
  void stop(VertxTestContext ctx) {
    clients.forEach(ApiClient::close);
    (app == null ? Future.<Void>succeededFuture() : app.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<CodvidApp> start(Vertx vertx, UnaryOperator<JsonObject> tune) {
    return TestNode.start(vertx, tune.apply(TestNode.config(TestNode.tempDir())
            .put("tracking", new JsonObject().put("scheduler_enabled", false))))
        .onSuccess(started -> app = started);
  }

  private ApiClient client(Vertx vertx, String localAddress) {
    ApiClient client = ApiClient.from(vertx, app.httpPort(), localAddress);
    clients.add(client);
    return client;
  }

  private static JsonObject credentials(String email, String password) {
    return new JsonObject().put("auth_type", "email").put("email", email).put("password", password);
  }

  private static Future<HttpResponse<Buffer>> login(ApiClient client, String email, String password, String forwardedFor) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, "/auth/login", null);
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    return request.sendJsonObject(ApiClient.envelope(credentials(email, password)));
  }

  /** Sends {@code count} logins one after the other and answers their responses in order. */
  private static Future<List<HttpResponse<Buffer>>> logins(ApiClient client, int count, IntFunction<String> email,
      String password, IntFunction<String> forwardedFor) {
    Future<List<HttpResponse<Buffer>>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      int n = i;
      chain = chain.compose(list -> login(client, email.apply(n), password, forwardedFor.apply(n)).map(r -> {
        list.add(r);
        return list;
      }));
    }
    return chain;
  }

  private static List<Integer> statuses(List<HttpResponse<Buffer>> responses) {
    return responses.stream().map(HttpResponse::statusCode).toList();
  }

  private static int retryAfter(HttpResponse<Buffer> throttled) {
    assertEquals(429, throttled.statusCode(), throttled.bodyAsString());
    assertEquals(false, throttled.bodyAsJsonObject().getBoolean("result"));
    String header = throttled.getHeader("Retry-After");
    assertTrue(header != null && header.matches("\\d+"), "Retry-After: " + header);
    int seconds = Integer.parseInt(header);
    assertTrue(seconds >= 1, "Retry-After: " + header);
    return seconds;
  }

  private static void assertThrottledLogin(HttpResponse<Buffer> response) {
    retryAfter(response);
    assertTrue(response.bodyAsJsonObject().getString("message").startsWith("Too many failed login attempts"),
        response.bodyAsString());
  }

  @Test
  @DisplayName("wrong passwords from 127.0.0.1 get 429 with Retry-After after 5, while the victim logs in from 127.0.0.2")
  void noLockOut(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c).compose(node -> {
          ApiClient victim = client(vertx, VICTIM);
          ApiClient attacker = client(vertx, ATTACKER);
          return victim.signup("victim@example.com", PASSWORD)
              .compose(t -> logins(attacker, 12, i -> "victim@example.com", "guess-password", i -> null))
              .compose(guesses -> login(attacker, "victim@example.com", PASSWORD, null).compose(attackerRight ->
                  login(victim, "victim@example.com", PASSWORD, null).map(victimRight -> {
                    ctx.verify(() -> {
                      List<Integer> codes = statuses(guesses);
                      assertEquals(List.of(400, 400, 400, 400, 400), codes.subList(0, 5), codes.toString());
                      assertEquals("wrong password.", guesses.get(0).bodyAsJsonObject().getString("message"));
                      guesses.subList(5, 12).forEach(LoginThrottleTest::assertThrottledLogin);
                      assertThrottledLogin(attackerRight);
                      assertEquals(201, victimRight.statusCode(), "the victim is not locked out: " + victimRight.bodyAsString());
                      assertTrue(victimRight.bodyAsJsonObject().getString("token") != null);
                    });
                    return null;
                  })));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("after the free attempts each further one waits longer: Retry-After grows 1 s, 2 s, 4 s and waiting it out lets one attempt through")
  void growingDelays(Vertx vertx, VertxTestContext ctx) {
    List<Integer> waits = new ArrayList<>();
    List<Integer> afterWaiting = new ArrayList<>();
    start(vertx, c -> c).compose(node -> {
          ApiClient attacker = client(vertx, ATTACKER);
          Future<Void> chain = logins(attacker, 5, i -> "growing@example.com", "guess", i -> null).mapEmpty();
          for (int round = 0; round < 3; round++) {
            chain = chain.compose(v -> login(attacker, "growing@example.com", "guess", null)).compose(throttled -> {
              int wait = retryAfter(throttled);
              waits.add(wait);
              return vertx.timer(wait * 1000L + 150).compose(t -> login(attacker, "growing@example.com", "guess", null))
                  .map(allowed -> {
                    afterWaiting.add(allowed.statusCode());
                    return null;
                  });
            });
          }
          return chain;
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(1, 2, 4), waits);
          assertEquals(List.of(400, 400, 400), afterWaiting, "an attempt after Retry-After is answered, not refused");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("one address trying many accounts is slowed after 20 failures; another address is not")
  void perAddressAcrossAccounts(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c).compose(node -> {
          ApiClient attacker = client(vertx, ATTACKER);
          ApiClient other = client(vertx, VICTIM);
          return logins(attacker, 25, i -> "nobody" + i + "@example.com", "guess-password", i -> null)
              .compose(sprayed -> login(other, "nobody@example.com", "guess-password", null).map(fresh -> {
                ctx.verify(() -> {
                  List<Integer> codes = statuses(sprayed);
                  assertEquals(20, codes.stream().filter(code -> code == 400).count(), codes.toString());
                  assertEquals("Email is not linked to an account.", sprayed.get(0).bodyAsJsonObject().getString("message"));
                  sprayed.subList(20, 25).forEach(LoginThrottleTest::assertThrottledLogin);
                  assertEquals(400, fresh.statusCode(), fresh.bodyAsString());
                });
                return null;
              }));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("signups are limited per client address (10 free, then 429 with Retry-After); another address still signs up")
  void signupsPerAddress(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c).compose(node -> {
          ApiClient farm = client(vertx, ATTACKER);
          ApiClient person = client(vertx, VICTIM);
          Future<List<HttpResponse<Buffer>>> chain = Future.succeededFuture(new ArrayList<>());
          for (int i = 0; i < 14; i++) {
            int n = i;
            chain = chain.compose(list -> farm.post("/auth/signup", null, credentials("farm" + n + "@example.com", "farm-password-" + n))
                .map(r -> {
                  list.add(r);
                  return list;
                }));
          }
          return chain.compose(signups -> person.post("/auth/signup", null, credentials("person@example.com", PASSWORD)).map(own -> {
            ctx.verify(() -> {
              List<Integer> codes = statuses(signups);
              assertEquals(10, codes.stream().filter(code -> code == 201).count(), codes.toString());
              for (HttpResponse<Buffer> refused : signups.subList(10, 14)) {
                retryAfter(refused);
                assertTrue(refused.bodyAsJsonObject().getString("message").startsWith("Too many sign-ups"), refused.bodyAsString());
              }
              assertEquals(201, own.statusCode(), own.bodyAsString());
            });
            return null;
          }));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("without trusted proxies X-Forwarded-For is ignored: rotating it does not escape the limit")
  void forwardedForIgnoredByDefault(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c).compose(node -> logins(client(vertx, ATTACKER), 7, i -> "rotate@example.com", "guess",
            i -> "198.51.100." + (i + 1)))
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          List<Integer> codes = statuses(responses);
          assertEquals(List.of(400, 400, 400, 400, 400), codes.subList(0, 5), codes.toString());
          responses.subList(5, 7).forEach(LoginThrottleTest::assertThrottledLogin);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("behind a trusted proxy the client is the X-Forwarded-For address; from any other peer the header is ignored")
  void forwardedForFromTrustedProxy(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c.put("http", c.getJsonObject("http").copy().put("trusted_proxies", "127.0.0.1, 10.0.0.0/8")))
        .compose(node -> {
          ApiClient proxy = client(vertx, ATTACKER);
          ApiClient direct = client(vertx, VICTIM);
          return logins(proxy, 6, i -> "proxied@example.com", "guess", i -> "198.51.100.1")
              .compose(first -> logins(proxy, 1, i -> "proxied@example.com", "guess", i -> "198.51.100.2, 10.1.2.3")
                  .compose(second -> logins(direct, 6, i -> "proxied@example.com", "guess", i -> "198.51.100.3")
                      .compose(spoofed -> logins(proxy, 1, i -> "proxied@example.com", "guess", i -> "198.51.100.3").map(real -> {
                        ctx.verify(() -> {
                          assertEquals(List.of(400, 400, 400, 400, 400), statuses(first).subList(0, 5));
                          assertThrottledLogin(first.get(5));
                          assertEquals(400, second.get(0).statusCode(), "another client behind the proxy (through a second trusted hop) is not throttled");
                          assertThrottledLogin(spoofed.get(5));
                          assertEquals(400, real.get(0).statusCode(), "a spoofed header from an untrusted peer counted against that peer, not the named address");
                        });
                        return null;
                      }))));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a login for an unknown email takes as long as a wrong password for a known one (the same Argon2 work)")
  void equalWork(Vertx vertx, VertxTestContext ctx) {
    int rounds = 7;
    List<Long> known = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    start(vertx, c -> c.put("password", new JsonObject().put("argon2_memory_kib", 19456).put("argon2_iterations", 2))
            .put("auth", new JsonObject().put("login_max_failures", 1000).put("login_address_max_failures", 1000)))
        .compose(node -> {
          ApiClient client = client(vertx, ATTACKER);
          Future<Void> chain = client.signup("timed@example.com", PASSWORD).mapEmpty();
          for (int i = 0; i < rounds; i++) {
            int n = i;
            chain = chain.compose(v -> timed(client, "timed@example.com", known))
                .compose(v -> timed(client, "untimed" + n + "@example.com", unknown));
          }
          return chain;
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          long knownMedian = known.stream().sorted().toList().get(rounds / 2);
          long unknownMedian = unknown.stream().sorted().toList().get(rounds / 2);
          assertTrue(unknownMedian * 2 >= knownMedian,
              "unknown email " + unknownMedian + " ms vs known email " + knownMedian + " ms: " + unknown + " vs " + known);
          ctx.completeNow();
        })));
  }

  private static Future<Void> timed(ApiClient client, String email, List<Long> into) {
    long started = System.nanoTime();
    return login(client, email, "wrong-password-9", null).map(r -> {
      assertNull(r.getHeader("Retry-After"), r.bodyAsString());
      into.add((System.nanoTime() - started) / 1_000_000);
      return null;
    });
  }
}
