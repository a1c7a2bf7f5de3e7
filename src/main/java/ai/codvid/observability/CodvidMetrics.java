package ai.codvid.observability;

import ai.codvid.Addresses;
import ai.codvid.config.AppConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The application's own meters, next to the ones Vert.x records (HTTP latency per route, event
 * bus traffic, pools, JVM). Each node has its own Prometheus registry, named in the config key
 * {@code metrics.registry_name}; a component looks it up with {@link #of(AppConfig)}. Without
 * metrics (disabled, or a Vert.x built elsewhere, as in some tests) the meters go to a private
 * registry nobody reads.
 */
public final class CodvidMetrics {

  public static final String REGISTRY_NAME_KEY = "metrics.registry_name";
  /** The label every event-bus address outside {@link Addresses} is counted under. */
  public static final String OTHER_ADDRESS = "other";

  private final MeterRegistry registry;
  private final AtomicLong registrySize = new AtomicLong();

  private CodvidMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("codvid_processing_registry_entries", registrySize);
  }

  /**
   * The Vert.x metrics options of a node: Prometheus, a registry of its own, and only labels
   * whose values are bounded and say nothing about users. HTTP meters carry the route template
   * ({@code /codvid-ai/ig-tracking/get_task/:id}), never the path; event-bus meters carry the
   * address only when it is one of {@link Addresses}' constants, a per-entity address under its
   * prefix ({@code codvid.progress.*} for every task's progress), and {@code other} for anything
   * else (reply addresses …). So the series count does not grow with users, tasks or scrapes,
   * and no task or user id reaches the metrics.
   */
  public static MicrometerMetricsOptions options(String registryName) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(false));
    List<String> kept = new ArrayList<>();
    for (String address : addresses()) {
      if (address.endsWith(".")) {
        options.addLabelMatch(eventBusAddress(Pattern.quote(address) + ".+", address + "*"));
        kept.add(address + "*");
      } else {
        kept.add(address);
      }
    }
    String known = kept.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    return options.addLabelMatch(eventBusAddress("(?!(?:" + known + ")$).*", OTHER_ADDRESS));
  }

  private static Match eventBusAddress(String regex, String alias) {
    return new Match().setDomain(MetricsDomain.EVENT_BUS).setLabel(Label.EB_ADDRESS.toString())
        .setType(MatchType.REGEX).setValue(regex).setAlias(alias);
  }

  /** Every public String constant of {@link Addresses}: whole addresses, and prefixes (ending in a dot). */
  static List<String> addresses() {
    List<String> addresses = new ArrayList<>();
    for (Field field : Addresses.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          addresses.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return addresses;
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
