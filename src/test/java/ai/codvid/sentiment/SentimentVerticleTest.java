package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SentimentVerticleTest {

  private static final Set<String> LABELS = Set.of(Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.NEUTRAL);
  private SentimentClient client;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) {
    AppConfig config = AppConfig.of(new JsonObject()).with("sentiment.max_batch", 50).with("sentiment.instances", 2);
    client = new SentimentClient(vertx, 60_000);
    SentimentVerticle.deploy(vertx, config).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("A batch gets one label, score and language per text, in the same order")
  void classifiesBatchInOrder(VertxTestContext testContext) {
    List<String> texts = List.of("I love this so much, best day ever!", "This is awful, I hate it.",
        "The store opens at 9am on Monday.", "🔥🔥🔥");
    client.classify(texts).onComplete(testContext.succeeding(results -> testContext.verify(() -> {
      assertEquals(4, results.size());
      assertEquals(Sentiment.POSITIVE, results.get(0).label());
      assertEquals(Sentiment.NEGATIVE, results.get(1).label());
      assertEquals(Sentiment.NEUTRAL, results.get(2).label());
      assertEquals(Sentiment.POSITIVE, results.get(3).label());
      assertEquals("en", results.get(0).language());
      for (Sentiment s : results) {
        assertTrue(s.score() >= 0 && s.score() <= 1, "score in 0..1: " + s);
      }
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Empty, whitespace, 10 kB, control-character and lone-surrogate texts each get a label")
  void survivesHostileInputs(VertxTestContext testContext) {
    String tenKb = "so good ".repeat(1280);
    List<String> texts = List.of("", "   \t  ", tenKb, "bad\u0000\u0007\u001b[31m day\r\n", "\uD83D lone \uDC00 halves \uD83D",
        "\uFFFF\uFFFE", "😍".repeat(3000), "x");
    client.classify(texts).onComplete(testContext.succeeding(results -> testContext.verify(() -> {
      assertEquals(texts.size(), results.size());
      for (Sentiment s : results) {
        assertTrue(LABELS.contains(s.label()), "a label for every text: " + s);
      }
      assertEquals(Sentiment.NEUTRAL, results.get(0).label());
      assertEquals(Sentiment.NEUTRAL, results.get(1).label());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A repeated comment gets the same answer (served from the recent-results cache)")
  void repeatedCommentsAgree(VertxTestContext testContext) {
    List<String> texts = Collections.nCopies(20, "love it 😍😍");
    client.classify(texts).compose(first -> client.classify(texts).map(second -> List.of(first, second)))
        .onComplete(testContext.succeeding(both -> testContext.verify(() -> {
          assertEquals(1, both.get(0).stream().distinct().count());
          assertEquals(both.get(0), both.get(1));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("A request without a texts array fails with 400")
  void rejectsMissingTexts(Vertx vertx, VertxTestContext testContext) {
    expectBadRequest(vertx, testContext, new JsonObject().put("text", "hello"));
  }

  @Test
  @DisplayName("A texts value that is not an array fails with 400")
  void rejectsNonArrayTexts(Vertx vertx, VertxTestContext testContext) {
    expectBadRequest(vertx, testContext, new JsonObject().put("texts", "hello"));
  }

  @Test
  @DisplayName("A non-string item fails with 400")
  void rejectsNonStringItems(Vertx vertx, VertxTestContext testContext) {
    expectBadRequest(vertx, testContext, new JsonObject().put("texts", new JsonArray().add("ok").add(42)));
  }

  @Test
  @DisplayName("A batch above sentiment.max_batch fails with 400 through the typed client")
  void rejectsOversizedBatch(VertxTestContext testContext) {
    List<String> texts = new ArrayList<>(Collections.nCopies(51, "hi"));
    client.classify(texts).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = assertInstanceOf(CodvidException.class, failure);
      assertEquals(FailureCode.BAD_REQUEST, e.code());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("An empty list is answered without a bus round trip")
  void emptyList(VertxTestContext testContext) {
    client.classify(List.of()).onComplete(testContext.succeeding(results -> testContext.verify(() -> {
      assertTrue(results.isEmpty());
      testContext.completeNow();
    })));
  }

  private void expectBadRequest(Vertx vertx, VertxTestContext testContext, JsonObject body) {
    vertx.eventBus().<JsonObject>request(Addresses.SENTIMENT_CLASSIFY, body, new DeliveryOptions().setSendTimeout(60_000))
        .onComplete(testContext.failing(failure -> testContext.verify(() -> {
          ReplyException reply = assertInstanceOf(ReplyException.class, failure);
          assertEquals(400, reply.failureCode());
          assertNotNull(reply.getMessage());
          testContext.completeNow();
        })));
  }
}
