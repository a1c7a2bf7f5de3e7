package ai.codvid.sentiment;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Typed client of the sentiment verticle ({@link Addresses#SENTIMENT_CLASSIFY}). */
public final class SentimentClient {

  private final Vertx vertx;
  private final DeliveryOptions delivery;

  public SentimentClient(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMillis);
  }

  /** A sentiment per text, in the same order. */
  public Future<List<Sentiment>> classify(List<String> texts) {
    if (texts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    JsonObject request = new JsonObject().put("texts", new JsonArray(new ArrayList<>(texts)));
    return vertx.eventBus().<JsonObject>request(Addresses.SENTIMENT_CLASSIFY, request, delivery)
        .recover(failure -> Future.failedFuture(CodvidException.fromBus(failure)))
        .map(reply -> {
          JsonArray results = reply.body().getJsonArray("results", new JsonArray());
          List<Sentiment> sentiments = new ArrayList<>(results.size());
          for (int i = 0; i < results.size(); i++) {
            sentiments.add(Sentiment.fromJson(results.getJsonObject(i)));
          }
          return sentiments;
        });
  }
}
