package ai.codvid.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.config.AppConfig;
import ai.codvid.support.ApiClient;
import ai.codvid.support.LiveClients;
import ai.codvid.support.Polling;
import ai.codvid.support.TestNode;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
@DisplayName("Metrics, logs, security headers, limits")
class ObservabilityTest {

  private CodvidApp app;
  private ApiClient api;

  @AfterEach
  void stop(VertxTestContext ctx) {
    if (api != null) {
      api.close();
    }
    (app == null ? Future.<Void>succeededFuture() : app.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<String> start(Vertx vertx, UnaryOperator<JsonObject> tune) {
    JsonObject config = tune.apply(TestNode.config(TestNode.tempDir())
        .put("tracking", new JsonObject().put("scheduler_enabled", false)));
    return CodvidApp.start(AppConfig.of(config)).compose(started -> {
      app = started;
      api = new ApiClient(vertx, app.httpPort());
      return api.signup("ops@example.com", "test-password-1");
    });
  }

  @Test
  @DisplayName("Prometheus text at /metrics: HTTP latency per route, event bus, scrapes, sentiment throughput, registry size; protected by the metrics token")
  void metrics(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c.put("metrics", new JsonObject().put("token", "scrape-me"))).compose(token ->
        api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "metered"))
            .compose(created -> {
              String taskId = created.bodyAsJsonObject().getJsonObject("response").getString("task_id");
              return api.post("/ig-tracking/force_scrape/" + taskId, token, null)
                  .compose(r -> Polling.until(vertx, 50, 15_000, () -> api.get("/ig-tracking/task_status/" + taskId, token)
                      .map(s -> "completed".equals(s.bodyAsJsonObject().getJsonObject("response").getString("status")) ? s : null)));
            })
            .compose(done -> Future.all(
                api.get("/metrics", null),
                api.request(HttpMethod.GET, "/metrics", null).putHeader("Authorization", "Bearer wrong").send(),
                api.request(HttpMethod.GET, "/metrics", null).putHeader("Authorization", "Bearer scrape-me").send())))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(401, ((HttpResponse<?>) all.resultAt(0)).statusCode());
          assertEquals(401, ((HttpResponse<?>) all.resultAt(1)).statusCode());
          HttpResponse<Buffer> ok = all.resultAt(2);
          assertEquals(200, ok.statusCode());
          String text = ok.bodyAsString();
          assertTrue(text.contains("vertx_http_server_response_time_seconds"), "HTTP latency");
          assertTrue(text.contains("route=\"") && text.contains("force_scrape/:id"), "per route");
          assertTrue(text.contains("vertx_eventbus_"), "event bus traffic");
          assertTrue(text.matches("(?s).*codvid_scrapes_started_total\\{kind=\"profile\",trigger=\"manual\"} 1\\.0.*"), "scrapes started");
          assertTrue(text.matches("(?s).*codvid_scrapes_ended_total\\{kind=\"profile\",outcome=\"completed\"} 1\\.0.*"), "scrapes ended");
          assertTrue(text.contains("codvid_sentiment_texts_total"), "sentiment throughput");
          assertTrue(text.contains("codvid_processing_registry_entries"), "registry size");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("passwords, tokens and secrets never reach the logs, whatever the request")
  void noSecretsInLogs(Vertx vertx, VertxTestContext ctx) {
    String password = "Sup3r-Secret-Passw0rd!";
    String apifyToken = "apify_api_SECRETSECRETSECRET";
    String jwtSecret = "jwt-secret-for-the-log-test-0123456789abcdef";
    String llmKey = "sk-llm-SECRETSECRETSECRET";
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger codvid = logs.getLogger("ai.codvid");
    ch.qos.logback.classic.Level before = codvid.getLevel();
    codvid.setLevel(ch.qos.logback.classic.Level.DEBUG);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(logs);
    captured.start();
    root.addAppender(captured);
    List<String> secrets = new ArrayList<>(List.of(password, apifyToken, jwtSecret, llmKey));
    start(vertx, c -> c.put("http", c.getJsonObject("http").copy().put("access_log", true)).put("jwt", new JsonObject().put("secret", jwtSecret))
        .put("apify", new JsonObject().put("token", apifyToken).put("base_url", "http://127.0.0.1:9").put("max_attempts", 1))
        .put("llm", new JsonObject().put("api_key", llmKey).put("base_url", "http://127.0.0.1:9/v1").put("model", "m").put("max_attempts", 1)))
        .compose(token -> {
          secrets.add(token);
          return api.post("/auth/signup", null, new JsonObject().put("auth_type", "email").put("email", "secret@example.com").put("password", password))
              .compose(r -> api.post("/auth/login", null, new JsonObject().put("auth_type", "email").put("email", "secret@example.com").put("password", "wrong-" + password)))
              .compose(r -> api.post("/auth/login", null, new JsonObject().put("auth_type", "email").put("email", "secret@example.com").put("password", password)))
              .compose(r -> {
                secrets.add(r.bodyAsJsonObject().getString("token"));
                return api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "leaky"));
              })
              .compose(created -> api.post("/ig-tracking/force_scrape/" + created.bodyAsJsonObject().getJsonObject("response").getString("task_id"), token, null)
                  .compose(r -> LiveClients.eventStream(vertx, app.httpPort(), "/codvid-ai/ig-tracking/events/"
                      + created.bodyAsJsonObject().getJsonObject("response").getString("task_id") + "?token=" + token, null)))
              .compose(stream -> api.post("/project/create-project", token, new JsonObject().put("project_name", "p")))
              .compose(r -> api.post("/ai/respond", token, new JsonObject().put("project_name", "p")
                  .put("message", new JsonObject().put("role", "user").put("type", "text").put("text", "hi"))))
              .compose(r -> api.raw(HttpMethod.POST, "/auth/login", null, "{\"schema_version\":\"4.0\",\"data\":{\"email\":\"x@y.co\",\"password\":\"" + password + "\""))
              .compose(r -> vertx.timer(1_500));
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          root.detachAppender(captured);
          codvid.setLevel(before);
          JsonEncoder encoder = new JsonEncoder();
          encoder.setContext(logs);
          encoder.start();
          StringBuilder all = new StringBuilder();
          for (ILoggingEvent event : captured.list) {
            all.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
          }
          assertTrue(captured.list.size() > 10, "the requests were logged: " + captured.list.size());
          assertTrue(all.toString().contains("ai.codvid.access"));
          for (String secret : secrets) {
            assertFalse(all.toString().contains(secret), "a secret reached the logs: " + secret.substring(0, 6) + "…");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("security headers on every answer; force_scrape is limited per user with 429 and Retry-After; slow requests time out with 503")
  void headersLimitsTimeouts(Vertx vertx, VertxTestContext ctx) {
    start(vertx, c -> c.put("tracking", new JsonObject().put("scheduler_enabled", false).put("force_scrape_per_minute", 3)))
        .compose(token -> api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "limited"))
            .compose(created -> {
              String taskId = created.bodyAsJsonObject().getJsonObject("response").getString("task_id");
              Future<List<Integer>> chain = Future.succeededFuture(new ArrayList<>());
              for (int i = 0; i < 5; i++) {
                chain = chain.compose(codes -> api.post("/ig-tracking/force_scrape/" + taskId, token, null).map(r -> {
                  codes.add(r.statusCode());
                  if (r.statusCode() == 429) {
                    ctx.verify(() -> {
                      assertTrue(Integer.parseInt(r.getHeader("Retry-After")) >= 1);
                      assertTrue(r.bodyAsJsonObject().getString("message").startsWith("Too many force_scrape requests"));
                    });
                  }
                  return codes;
                }));
              }
              return chain;
            })
            .compose(codes -> api.get("/ping", null).map(ping -> {
              ctx.verify(() -> {
                assertEquals(3, codes.stream().filter(c -> c != 429).count(), codes.toString());
                assertEquals(List.of(429, 429), codes.subList(3, 5));
                assertEquals("nosniff", ping.getHeader("X-Content-Type-Options"));
                assertEquals("DENY", ping.getHeader("X-Frame-Options"));
                assertEquals("no-store", ping.getHeader("Cache-Control"));
                assertTrue(ping.getHeader("Content-Security-Policy").contains("default-src 'none'"));
              });
              return null;
            })))
        .compose(v -> {
          api.close();
          return app.close();
        })
        .compose(v -> start(vertx, c -> c.put("http", c.getJsonObject("http").copy().put("request_timeout_ms", 1))
            .put("password", new JsonObject().put("argon2_memory_kib", 65536).put("argon2_iterations", 3)))
            .map("unexpected").recover(e -> Future.succeededFuture(e.getMessage())))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertTrue(outcome.contains("503"), "signup with a 1 ms request timeout: " + outcome);
          ctx.completeNow();
        })));
  }

  /** The series of a Prometheus text whose name starts with one of the prefixes (name and labels, without the value). */
  private static List<String> series(String text, String... prefixes) {
    List<String> found = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      for (String prefix : prefixes) {
        if (line.startsWith(prefix)) {
          found.add(line.substring(0, line.lastIndexOf(' ')));
          break;
        }
      }
    }
    return found;
  }

  /** A user with {@code tasks} profile tasks, each followed over SSE while it is force-scraped to the end. */
  private Future<List<String>> userWithScrapedTasks(Vertx vertx, int user, int tasks) {
    String email = "metered-" + user + "@example.com";
    return api.signup(email, "test-password-1").compose(token -> {
      List<Future<String>> runs = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        runs.add(api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", "metered_" + user + "_" + i))
            .map(created -> created.bodyAsJsonObject().getJsonObject("response").getString("task_id"))
            .compose(taskId -> LiveClients.eventStream(vertx, app.httpPort(), "/codvid-ai/ig-tracking/events/" + taskId, token)
                .compose(stream -> api.post("/ig-tracking/force_scrape/" + taskId, token, null)
                    .compose(forced -> stream.ended().timeout(20, TimeUnit.SECONDS))
                    .compose(ended -> api.get("/ig-tracking/get_task/" + taskId, token))
                    .map(read -> taskId))));
      }
      return Future.all(runs).map(all -> {
        List<String> ids = new ArrayList<>(all.<String>list());
        ids.add(email);
        ids.add(new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8)).getString("sub"));
        return ids;
      });
    });
  }

  @Test
  @DisplayName("metrics carry no task, user or email in any label, and 50 more tasks of 5 more users scraped add no series")
  void boundedMetrics(Vertx vertx, VertxTestContext ctx) {
    List<String> identifiers = new ArrayList<>();
    String[] ours = {"vertx_", "codvid_"};
    start(vertx, c -> c.put("tracking", new JsonObject().put("scheduler_enabled", false).put("force_scrape_per_minute", 1000)))
        .compose(opsToken -> userWithScrapedTasks(vertx, 0, 1))
        .compose(first -> {
          identifiers.addAll(first);
          return api.get("/metrics", null).map(HttpResponse::bodyAsString);
        })
        .compose(baseline -> {
          Future<Void> chain = Future.succeededFuture();
          for (int user = 1; user <= 5; user++) {
            int n = user;
            chain = chain.compose(v -> userWithScrapedTasks(vertx, n, 10).map(ids -> {
              identifiers.addAll(ids);
              return null;
            }));
          }
          return chain.compose(v -> api.get("/metrics", null)).map(after -> {
            ctx.verify(() -> {
              String text = after.bodyAsString();
              List<String> before = series(baseline, ours);
              List<String> now = series(text, ours);
              assertTrue(now.size() <= before.size() + 10, "series grew from " + before.size() + " to " + now.size() + ": "
                  + now.stream().filter(x -> !before.contains(x)).limit(10).toList());
              assertEquals(63, identifiers.size(), "ids collected");
              for (String id : identifiers) {
                assertFalse(text.contains(id), "an identifier reached the metrics: " + id);
              }
              assertTrue(text.contains("vertx_eventbus_published_total"), "event-bus metrics are still there");
              assertTrue(text.contains("address=\"codvid.progress.*\""), "progress addresses are counted under their prefix");
            });
            return null;
          });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("clients that abort their request bodies leave no WARN or ERROR line (200 aborted logins)")
  void abortedRequestsAreQuiet(Vertx vertx, VertxTestContext ctx) {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(logs);
    captured.start();
    NetClient net = vertx.createNetClient();
    start(vertx, c -> c)
        .compose(token -> {
          root.addAppender(captured);
          List<Future<Void>> aborted = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            aborted.add(net.connect(app.httpPort(), "127.0.0.1").compose(socket -> {
              Promise<Void> closed = Promise.promise();
              socket.closeHandler(v -> closed.tryComplete());
              socket.write("POST /codvid-ai/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 4000\r\n\r\n{\"schema_version\": \"4.0\", \"data\": {\"email\": \"a@b.co\", \"pass")
                  .compose(v -> vertx.timer(20))
                  .onComplete(v -> socket.close());
              return closed.future();
            }));
          }
          return Future.all(aborted).compose(v -> vertx.timer(1_000)).compose(v -> api.get("/ping", null));
        })
        .onComplete(ctx.succeeding(ping -> ctx.verify(() -> {
          root.detachAppender(captured);
          net.close();
          assertEquals(200, ping.statusCode(), "the node still answers");
          List<String> loud = captured.list.stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
              .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
              .toList();
          assertEquals(List.of(), loud.stream().limit(5).toList(), loud.size() + " WARN/ERROR lines");
          ctx.completeNow();
        })));
  }
}
