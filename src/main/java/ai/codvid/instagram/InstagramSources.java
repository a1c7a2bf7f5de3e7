package ai.codvid.instagram;

import ai.codvid.config.AppConfig;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the node's {@link InstagramSource}. */
public final class InstagramSources {

  private static final Logger LOG = LoggerFactory.getLogger(InstagramSources.class);

  private InstagramSources() {
  }

  /**
   * {@link ApifySource} when {@code apify.token} ({@code CODVID_APIFY_TOKEN}) is set and not
   * blank, otherwise the offline {@link SampleSource}. Create it once per node and share it: the
   * Apify concurrency limit is per instance.
   */
  public static InstagramSource create(Vertx vertx, AppConfig config) {
    ApifyOptions options = ApifyOptions.from(config);
    if (options.hasToken()) {
      LOG.info("Instagram data from Apify at {}", options.baseUrl());
      return new ApifySource(vertx, options);
    }
    LOG.info("No CODVID_APIFY_TOKEN configured: Instagram data comes from the offline sample source");
    return new SampleSource();
  }
}
