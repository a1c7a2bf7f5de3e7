package ai.codvid.instagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.fakes.FakeApify;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("ApifySource keeps the calls in flight per node under the limit")
class ConcurrencyLimitTest {

  private static final InstagramSource.RetryListener NONE = InstagramSource.RetryListener.NONE;

  private FakeApify fake;
  private ApifySource source;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext testContext) {
    FakeApify.start(vertx).onComplete(testContext.succeeding(started -> {
      fake = started;
      testContext.completeNow();
    }));
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    fake.close();
  }

  @Test
  @DisplayName("Ten fetches at once with a limit of 2: all succeed, never more than 2 reach Apify together")
  void limitHolds(Vertx vertx, VertxTestContext testContext) {
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 2, 1, 10, 20, 2, 100));
    fake.delay(100);
    List<Future<InstagramProfile>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(source.fetchProfile("user" + i, NONE));
    }
    long started = System.currentTimeMillis();
    Future.all(all).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertEquals(10, fake.calls());
      assertEquals(2, fake.maxConcurrent());
      assertTrue(System.currentTimeMillis() - started >= 450, "five waves of 100 ms");
      assertEquals(0, source.inFlight());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Calls from several event loops share the one limit of the node")
  void limitAcrossEventLoops(Vertx vertx, VertxTestContext testContext) {
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 2, 1, 10, 20, 3, 100));
    fake.delay(80);
    Set<Thread> loops = ConcurrentHashMap.newKeySet();
    Future<String> deployed = vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        loops.add(Thread.currentThread());
        return Future.all(List.of(source.fetchProfile("a" + hashCode(), NONE),
            source.fetchProfile("b" + hashCode(), NONE), source.fetchProfile("c" + hashCode(), NONE)));
      }
    }, new DeploymentOptions().setInstances(4));
    deployed.onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertTrue(loops.size() > 1, "verticles on " + loops.size() + " event loops");
      assertEquals(12, fake.calls());
      assertEquals(3, fake.maxConcurrent());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A profile scrape fetches the comments of its 3 posts at the same time")
  void commentsInParallel(Vertx vertx, VertxTestContext testContext) {
    source = new ApifySource(vertx, ApifyTesting.options(fake));
    fake.delay(200);
    long started = System.currentTimeMillis();
    source.scrapeProfile("maya", 3, 10, NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      long took = System.currentTimeMillis() - started;
      assertEquals(3, fake.maxConcurrent());
      assertTrue(took < 750, "profile + one wave of comments, took " + took + " ms");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("When the waiting queue is full, further calls fail at once with UNAVAILABLE")
  void queueFull(Vertx vertx, VertxTestContext testContext) {
    source = new ApifySource(vertx, ApifyTesting.options(fake.baseUrl(), 2, 1, 10, 20, 1, 1));
    fake.delay(150);
    Future<InstagramProfile> first = source.fetchProfile("a", NONE);
    Future<InstagramProfile> second = source.fetchProfile("b", NONE);
    Future<InstagramProfile> third = source.fetchProfile("c", NONE);
    testContext.verify(() -> {
      assertTrue(third.failed(), "refused at once");
      CodvidException e = (CodvidException) third.cause();
      assertEquals(FailureCode.UNAVAILABLE, e.code());
    });
    Future.all(first, second).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertEquals(2, fake.calls());
      assertEquals(1, fake.maxConcurrent());
      testContext.completeNow();
    })));
  }
}
