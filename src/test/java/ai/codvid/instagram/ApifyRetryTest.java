package ai.codvid.instagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.fakes.FakeApify;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("ApifySource retries what is worth retrying, and only that")
class ApifyRetryTest {

  private record Retry(int attempt, long delayMillis, String reason) {
  }

  private FakeApify fake;
  private ApifySource source;
  private final List<Retry> retries = new CopyOnWriteArrayList<>();
  private final InstagramSource.RetryListener listener = (attempt, delay, reason) -> retries.add(new Retry(attempt, delay, reason));

  @BeforeEach
  void start(Vertx vertx, VertxTestContext testContext) {
    FakeApify.start(vertx).onComplete(testContext.succeeding(started -> {
      fake = started;
      source = new ApifySource(vertx, ApifyTesting.options(fake));
      testContext.completeNow();
    }));
  }

  @AfterEach
  void stop() {
    source.close();
    fake.close();
  }

  private static CodvidException codvid(Throwable failure) {
    return assertInstanceOf(CodvidException.class, failure);
  }

  @Test
  @DisplayName("HTTP 500 twice, then success: three calls, the listener told twice before each retry")
  void retriesServerErrors(VertxTestContext testContext) {
    fake.failNext(500, 2);
    source.fetchProfile("maya", listener).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals("maya", profile.username());
      assertEquals(3, fake.calls());
      assertEquals(List.of(2, 3), retries.stream().map(Retry::attempt).toList());
      assertTrue(retries.stream().allMatch(r -> r.reason().equals("HTTP 500")));
      assertTrue(retries.get(0).delayMillis() >= 10 && retries.get(0).delayMillis() <= 20, "jittered around 20 ms");
      assertTrue(retries.get(1).delayMillis() >= 20 && retries.get(1).delayMillis() <= 40, "doubled");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("HTTP 408, 502, 503 and 504 are retried")
  void retriesOtherRetryableStatuses(Vertx vertx, VertxTestContext testContext) {
    Future<Void> chain = Future.succeededFuture();
    for (int status : List.of(408, 502, 503, 504)) {
      chain = chain.compose(v -> {
        fake.reset().failNext(status, 1);
        return source.fetchPost("https://www.instagram.com/p/DAbc/", InstagramSource.RetryListener.NONE)
            .map(post -> {
              testContext.verify(() -> assertEquals(2, fake.calls(), "HTTP " + status + " retried once"));
              return null;
            });
      });
    }
    chain.onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("HTTP 429 waits the Retry-After seconds before the retry")
  void honoursRetryAfter(VertxTestContext testContext) {
    fake.rateLimitNext(1, 1);
    long started = System.currentTimeMillis();
    source.fetchProfile("maya", listener).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals(2, fake.calls());
      assertEquals(List.of(new Retry(2, 1000, "HTTP 429 (Retry-After 1 s)")), retries);
      long gap = fake.requests().get(1).getLong("at_ms") - fake.requests().get(0).getLong("at_ms");
      assertTrue(gap >= 950, "second call waited " + gap + " ms");
      assertTrue(System.currentTimeMillis() - started < 3000);
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A Retry-After longer than the remaining retry budget is cut to the budget")
  void retryAfterCappedByBudget(Vertx vertx, VertxTestContext testContext) {
    source.close();
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 2, 4, 1, 20, 8, 100));
    fake.rateLimitNext(1, 120);
    source.fetchProfile("maya", listener).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals(2, fake.calls());
      assertEquals(1, retries.size());
      assertTrue(retries.get(0).delayMillis() <= 1000, "delay " + retries.get(0).delayMillis());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A dropped connection is retried")
  void retriesConnectionErrors(VertxTestContext testContext) {
    fake.dropNext(1);
    source.fetchProfile("maya", listener).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals(2, fake.calls());
      assertEquals(1, retries.size());
      assertTrue(retries.get(0).reason().startsWith("connection"), retries.get(0).reason());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A refused connection is retried, then fails with the number of attempts and the reason")
  void connectionRefused(Vertx vertx, VertxTestContext testContext) {
    vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1")
        .compose(server -> {
          int port = server.actualPort();
          return server.close().map(port);
        })
        .compose(port -> {
          source.close();
          source = new ApifySource(vertx, ApifyTesting.options("http://127.0.0.1:" + port, 2, 3, 10, 10, 8, 100));
          return source.fetchProfile("maya", listener);
        })
        .onComplete(testContext.failing(failure -> testContext.verify(() -> {
          CodvidException e = codvid(failure);
          assertEquals(FailureCode.UPSTREAM, e.code());
          assertEquals("Apify failed after 3 attempts: connection refused", e.getMessage());
          assertEquals(2, retries.size());
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("Retries stop after max attempts with a message that names the last reason")
  void exhaustsAttempts(VertxTestContext testContext) {
    fake.failNext(503, 100);
    source.fetchProfile("maya", listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM, e.code());
      assertEquals("Apify failed after 4 attempts: HTTP 503", e.getMessage());
      assertEquals(4, fake.calls());
      assertEquals(3, retries.size());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Retries stop when the total retry time is used up, even with attempts left")
  void totalTimeBudget(Vertx vertx, VertxTestContext testContext) {
    source.close();
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 2, 50, 1, 200, 8, 100));
    fake.failNext(500, 1000);
    long started = System.currentTimeMillis();
    source.fetchProfile("maya", listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      long took = System.currentTimeMillis() - started;
      assertEquals(FailureCode.UPSTREAM, codvid(failure).code());
      assertTrue(fake.calls() < 50, fake.calls() + " calls");
      assertTrue(took < 2500, "took " + took + " ms");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("HTTP 400 is not retried and carries Apify's own message")
  void badInputNotRetried(VertxTestContext testContext) {
    fake.failNext(400, 5);
    source.fetchProfile("maya", listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM, e.code());
      assertEquals("Apify rejected the input (HTTP 400): Fake failure with HTTP 400", e.getMessage());
      assertEquals(1, fake.calls());
      assertTrue(retries.isEmpty());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A wrong token (401) is not retried, says to check CODVID_APIFY_TOKEN and never shows the token")
  void wrongTokenNotRetried(VertxTestContext testContext) {
    fake.token("the-right-one");
    source.fetchProfile("maya", listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM, e.code());
      assertEquals("Apify rejected the token (HTTP 401): check CODVID_APIFY_TOKEN", e.getMessage());
      assertFalse(e.getMessage().contains(FakeApify.TOKEN));
      assertEquals(1, fake.calls());
      assertTrue(retries.isEmpty());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A used-up plan (402) is not retried and says the usage limit is reached")
  void usageLimitNotRetried(VertxTestContext testContext) {
    fake.usageLimit();
    source.scrapeProfile("maya", 3, 10, listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM, e.code());
      assertTrue(e.getMessage().startsWith("Apify usage limit reached (HTTP 402)"), e.getMessage());
      assertEquals(1, fake.calls());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("HTTP 404 (actor not found) is not retried")
  void notFoundNotRetried(VertxTestContext testContext) {
    fake.failNext(404, 5);
    source.fetchProfile("maya", listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM, e.code());
      assertTrue(e.getMessage().startsWith("Apify could not find the actor (HTTP 404)"), e.getMessage());
      assertEquals(1, fake.calls());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A slow upstream hits the per-call timeout on every attempt and fails with UPSTREAM_TIMEOUT")
  void slowUpstreamTimesOut(Vertx vertx, VertxTestContext testContext) {
    source.close();
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 1, 2, 10, 20, 8, 100));
    fake.delay(2500);
    long started = System.currentTimeMillis();
    source.fetchProfile("maya", listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      long took = System.currentTimeMillis() - started;
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM_TIMEOUT, e.code());
      assertEquals("Apify did not answer within 1 s (2 attempts)", e.getMessage());
      assertEquals(2, fake.calls());
      assertEquals(List.of("timeout"), retries.stream().map(Retry::reason).toList());
      assertTrue(took >= 2000 && took < 2400, "took " + took + " ms");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A call that times out once succeeds on the retry")
  void slowOnceThenFine(Vertx vertx, VertxTestContext testContext) {
    source.close();
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 1, 3, 10, 20, 8, 100));
    fake.delayNext(1, 2500);
    source.fetchProfile("maya", listener).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals(2, fake.calls());
      assertEquals("timeout", retries.get(0).reason());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Malformed JSON fails the fetch cleanly, without a retry")
  void malformedJson(VertxTestContext testContext) {
    fake.malformedNext(1);
    source.scrapeProfile("maya", 3, 10, listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = codvid(failure);
      assertEquals(FailureCode.UPSTREAM, e.code());
      assertEquals("Apify returned an unreadable response", e.getMessage());
      assertEquals(1, fake.calls());
      assertTrue(retries.isEmpty());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A comments call that fails for good fails the scrape; the profile call is not repeated")
  void commentsFailureFailsScrape(VertxTestContext testContext) {
    fake.failNext(400, 3, "comments");
    source.scrapeProfile("maya", 3, 10, listener).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertEquals("Apify rejected the input (HTTP 400): Fake failure with HTTP 400", failure.getMessage());
      assertEquals(1, fake.calls(FakeApify.PROFILE_ACTOR));
      assertEquals(3, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A comments call that is retried succeeds and the scrape goes on")
  void commentsRetried(VertxTestContext testContext) {
    fake.failNext(503, 1, "comments");
    source.scrapeProfile("maya", 3, 10, listener).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      profile.posts().forEach(p -> assertEquals(10, p.comments().size()));
      assertEquals(4, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      assertEquals(1, retries.size());
      testContext.completeNow();
    })));
  }
}
