package ai.codvid;

import ai.codvid.config.AppConfig;
import ai.codvid.sentiment.SentimentCli;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node: {@code java -jar codvid-ai.jar}. */
public final class Main {

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("sentiment")) {
      System.setProperty("logback.configurationFile", SentimentCli.LOGBACK_CONFIG);
      SentimentCli.run(args);
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
