package ai.codvid.support;

import ai.codvid.store.EmbeddedMongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real data files and real node processes for the store's tests. */
public final class StoreFixtures {

  /** A stopped store in {@code dir} holding {@code count} documents in {@code projects}. */
  public static void seed(Path dir, int count) throws Exception {
    EmbeddedMongo store = EmbeddedMongo.start(dir, 0);
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", store.connectionString())
          .put("db_name", "codvid"));
      List<Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        inserts.add(mongo.insert("projects", new JsonObject().put("_id", "p" + i).put("user_id", "u" + (i % 7))
            .put("project_name", "project " + i).put("description", "x".repeat(200) + i)));
      }
      await(Future.all(inserts));
      await(mongo.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      store.shutdown();
    }
  }

  /** Documents in {@code projects} of a running store. */
  public static long count(String connectionString) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", connectionString).put("db_name", "codvid"));
      return await(mongo.count("projects", new JsonObject()));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  public static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a finished process did. */
  public record Run(int exitCode, List<String> stdout, List<String> stderr, long millis) {
  }

  /**
   * Runs {@code java ai.codvid.Main args} from the test classpath with the given environment
   * (no CODVID_ variables of the test's own environment), optionally prefixed (e.g. setpriv).
   */
  public static Run main(Map<String, String> env, List<String> prefix, long timeoutSeconds, String... args) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "ai.codvid.Main"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("codvid-run", ".out");
    Path err = Files.createTempFile("codvid-run", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CODVID_"));
    builder.environment().put("CODVID_HTTP_PORT", "0");
    builder.environment().put("CODVID_HTTP_HOST", "127.0.0.1");
    builder.environment().put("CODVID_HTTP_INSTANCES", "1");
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return new Run(-1, Files.readAllLines(out), Files.readAllLines(err), (System.nanoTime() - started) / 1_000_000);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    Run run = new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err), millis);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return run;
  }

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  public static boolean hasCommand(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private StoreFixtures() {
  }
}
