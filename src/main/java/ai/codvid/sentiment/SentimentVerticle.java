package ai.codvid.sentiment;

import ai.codvid.Addresses;
import ai.codvid.observability.CodvidMetrics;
import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@link Addresses#SENTIMENT_CLASSIFY}: {@code {texts: [..]}} →
 * {@code {results: [{label, score, language}]}} in the same order.
 *
 * <p>A worker verticle: classification is CPU work and the first start loads the shared
 * {@link SentimentClassifier} (a few seconds: weights, e5 encoder, language profiles), neither of
 * which may run on an event loop. A request's unseen texts are classified as one batch (one
 * padded encoder run per 32 texts). Each instance keeps its own cache of recent results
 * ({@code sentiment.cache_size}).
 */
public class SentimentVerticle extends VerticleBase {

  private final AppConfig config;
  private SentimentClassifier classifier;
  private CodvidMetrics metrics;
  private RecentResults recent;
  private int maxBatch;

  public SentimentVerticle(AppConfig config) {
    this.config = config;
  }

  /** Deploys {@code sentiment.instances} worker instances (default 2) sharing one classifier. */
  public static Future<String> deploy(Vertx vertx, AppConfig config) {
    int instances = Math.max(1, config.integer("sentiment.instances", 2));
    return vertx.deployVerticle(() -> new SentimentVerticle(config),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(instances));
  }

  @Override
  public Future<?> start() {
    maxBatch = Math.max(1, config.integer("sentiment.max_batch", 1000));
    recent = new RecentResults(config.integer("sentiment.cache_size", 10_000));
    classifier = SentimentClassifier.shared();
    metrics = CodvidMetrics.of(config);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.SENTIMENT_CLASSIFY, this::classify);
    return consumer.completion();
  }

  private void classify(Message<JsonObject> message) {
    JsonArray texts;
    try {
      texts = texts(message.body());
    } catch (CodvidException e) {
      CodvidException.replyFailure(message, e);
      return;
    }
    try {
      long started = System.nanoTime();
      Sentiment[] results = new Sentiment[texts.size()];
      List<Integer> unseen = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        results[i] = recent.get(texts.getString(i));
        if (results[i] == null) {
          unseen.add(i);
        }
      }
      List<Sentiment> fresh = classifier.classifyAll(unseen.stream().map(texts::getString).toList());
      for (int k = 0; k < unseen.size(); k++) {
        results[unseen.get(k)] = fresh.get(k);
        recent.put(texts.getString(unseen.get(k)), fresh.get(k));
      }
      JsonArray out = new JsonArray();
      for (Sentiment s : results) {
        out.add(s.toJson());
      }
      metrics.sentimentClassified(texts.size(), System.nanoTime() - started);
      message.reply(new JsonObject().put("results", out));
    } catch (RuntimeException e) {
      CodvidException.replyFailure(message, e);
    }
  }

  private JsonArray texts(JsonObject body) {
    if (body == null || !(body.getValue("texts") instanceof JsonArray texts)) {
      throw CodvidException.badRequest("texts must be an array of strings");
    }
    if (texts.size() > maxBatch) {
      throw CodvidException.badRequest("at most " + maxBatch + " texts per request, got " + texts.size());
    }
    for (int i = 0; i < texts.size(); i++) {
      if (!(texts.getValue(i) instanceof String)) {
        throw new CodvidException(FailureCode.BAD_REQUEST, "texts[" + i + "] must be a string");
      }
    }
    return texts;
  }
}
