package ai.codvid;

import ai.codvid.config.AppConfig;
import ai.codvid.sentiment.SentimentCli;
import ai.codvid.store.StoreCli;
import ai.codvid.store.StoreDamageException;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node: {@code java -jar codvid-ai.jar}; {@code sentiment ...} and {@code store ...}
 * run the command-line tools instead.
 */
public final class Main {

  /** Exit status of a node that refuses to start on a damaged data file. */
  public static final int DAMAGED_STORE = 3;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("sentiment")) {
      System.setProperty("logback.configurationFile", SentimentCli.LOGBACK_CONFIG);
      SentimentCli.run(args);
      return;
    }
    if (args.length > 0 && args[0].equals("store")) {
      System.setProperty("logback.configurationFile", StoreCli.LOGBACK_CONFIG);
      System.exit(StoreCli.run(args, System.out, System.err));
      return;
    }
    configureLogging();
    Logger log = LoggerFactory.getLogger(Main.class);
    Vertx bootstrap = Vertx.vertx();
    AppConfig config;
    try {
      config = AppConfig.load(bootstrap).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      bootstrap.close();
    }
    CodvidApp app;
    try {
      app = CodvidApp.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      StoreDamageException damage = damage(cause);
      if (damage != null) {
        System.err.println("Codvid refuses to start: " + damage.getMessage());
        System.err.flush();
        System.exit(DAMAGED_STORE);
      }
      log.error("Codvid failed to start: {}", cause.getMessage(), cause);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Shutting down");
      try {
        app.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        log.info("Stopped");
      } catch (Exception e) {
        log.warn("Shutdown did not complete cleanly: {}", e.toString());
      }
    }, "codvid-shutdown"));
  }

  private static StoreDamageException damage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StoreDamageException d) {
        return d;
      }
    }
    return null;
  }

  /** Uses conf/logback.xml from the working directory when present, else the copy in the jar. */
  private static void configureLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      Path file = Path.of("conf", "logback.xml");
      System.setProperty("logback.configurationFile", Files.exists(file) ? file.toString() : "conf/logback.xml");
    }
  }

  private Main() {
  }
}
