package ai.codvid.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Codvid nodes in separate JVMs ({@code ai.codvid.Main} on this test classpath) that join a
 * {@link ClusterNodes} cluster and use its store, so a test can {@code kill -9} one. Each node
 * logs to {@code node.log} in its own data directory.
 */
public final class NodeProcesses implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();

  /** Starts a node on {@code port}; {@code env} adds or overrides its CODVID_* settings. */
  public Process start(ClusterNodes cluster, int port, Map<String, String> env) throws IOException {
    Path dir = Files.createTempDirectory("codvid-node");
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "ai.codvid.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("CODVID_"));
    environment.put("CODVID_CLUSTERED", "true");
    environment.put("CODVID_CLUSTER_NAME", cluster.clusterName);
    environment.put("CODVID_MONGO_URI", cluster.storeUri());
    environment.put("CODVID_DATA_DIR", dir.toString());
    environment.put("CODVID_HTTP_PORT", String.valueOf(port));
    environment.put("CODVID_HTTP_HOST", "127.0.0.1");
    environment.put("CODVID_HTTP_INSTANCES", "1");
    environment.put("CODVID_SENTIMENT_INSTANCES", "1");
    environment.putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Completes once the node on {@code port} answers /ready with 200 (at most 90 s). */
  public static Future<Void> ready(Vertx vertx, int port) {
    ApiClient api = new ApiClient(vertx, port);
    return Polling.until(vertx, 250, 90_000, () -> api.get("/ready", null)
            .map(r -> r.statusCode() == 200 ? Boolean.TRUE : null)
            .recover(e -> Future.succeededFuture(null)))
        .<Void>mapEmpty()
        .onComplete(x -> api.close());
  }

  /** Kills every node still running (kill -9). */
  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
