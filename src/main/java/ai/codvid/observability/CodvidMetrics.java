package ai.codvid.observability;

import ai.codvid.config.AppConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application's own meters, next to the ones Vert.x records (HTTP latency per route, event
 * bus traffic, pools, JVM). Each node has its own Prometheus registry, named in the config key
 * {@code metrics.registry_name}; a component looks it up with {@link #of(AppConfig)}. Without
 * metrics (disabled, or a Vert.x built elsewhere, as in some tests) the meters go to a private
 * registry nobody reads.
 */
public final class CodvidMetrics {

  public static final String REGISTRY_NAME_KEY = "metrics.registry_name";

  private final MeterRegistry registry;
  private final AtomicLong registrySize = new AtomicLong();

  private CodvidMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("codvid_processing_registry_entries", registrySize);
  }

  /** The Vert.x metrics options of a node: Prometheus, a registry of its own, HTTP route labels. */
  public static MicrometerMetricsOptions options(String registryName) {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(false));
  }

  public static String newRegistryName() {
    return "codvid-" + UUID.randomUUID();
  }

  /** The meters of the node whose config this is. */
  public static CodvidMetrics of(AppConfig config) {
    String name = config.string(REGISTRY_NAME_KEY, null);
    MeterRegistry registry = name == null ? null : BackendRegistries.getNow(name);
    return new CodvidMetrics(registry != null ? registry : new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void scrapeStarted(String kind, String trigger) {
    Counter.builder("codvid_scrapes_started_total").tag("kind", kind).tag("trigger", trigger)
        .description("Scrape runs started").register(registry).increment();
  }

  /** @param outcome completed | failed | handed_back | lost_claim */
  public void scrapeEnded(String kind, String outcome, long millis) {
    Counter.builder("codvid_scrapes_ended_total").tag("kind", kind).tag("outcome", outcome)
        .description("Scrape runs ended, by outcome").register(registry).increment();
    Timer.builder("codvid_scrape_duration_seconds").tag("kind", kind).tag("outcome", outcome)
        .register(registry).record(millis, TimeUnit.MILLISECONDS);
  }

  public void upstreamRetry(String reason) {
    String family = reason == null ? "other" : reason.startsWith("HTTP ") ? reason.substring(0, Math.min(reason.length(), 8)).trim() : reason.split(" ")[0];
    Counter.builder("codvid_upstream_retries_total").tag("reason", family)
        .description("Retries of upstream (Apify) calls").register(registry).increment();
  }

  public void sentimentClassified(int texts, long nanos) {
    Counter.builder("codvid_sentiment_texts_total").description("Texts classified").register(registry).increment(texts);
    Timer.builder("codvid_sentiment_batch_seconds").description("Time to classify one batch")
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void forceScrapeLimited() {
    Counter.builder("codvid_force_scrape_rate_limited_total").register(registry).increment();
  }

  public void registrySize(long size) {
    registrySize.set(size);
  }
}
