package ai.codvid.store;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MongoDB-wire server of a single node: mongo-java-server on 127.0.0.1 with a
 * durable H2 file under the data directory, compacted at start-up.
 *
 * <p>Only one process can open the file at a time; a second node on the same data directory
 * fails at start with a clear message.
 */
public final class EmbeddedMongo {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);
  public static final String FILE_NAME = "codvid.mv";

  private final MongoServer server;
  private final String connectionString;

  private EmbeddedMongo(MongoServer server, String connectionString) {
    this.server = server;
    this.connectionString = connectionString;
  }

  /** Starts the server on the given loopback port (0 = any free port). Blocking: call off the event loop. */
  public static EmbeddedMongo start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    compact(file);
    DurableH2Backend backend;
    try {
      backend = new DurableH2Backend(file.toString());
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot open the embedded store " + file
          + " (is another Codvid node using this data directory? set CODVID_DATA_DIR): " + e.getMessage(), e);
    }
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    InetSocketAddress address = server.getLocalAddress();
    String uri = "mongodb://127.0.0.1:" + address.getPort();
    LOG.info("Embedded MongoDB-wire store on {} with data in {}", uri, file);
    return new EmbeddedMongo(server, uri);
  }

  private static void compact(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      long before = Files.size(file);
      MVStoreTool.compact(file.toString(), true);
      LOG.info("Compacted {} from {} to {} bytes", file, before, Files.size(file));
    } catch (RuntimeException | IOException e) {
      LOG.warn("Could not compact {} ({}); continuing with the file as it is", file, e.getMessage());
    }
  }

  public String connectionString() {
    return connectionString;
  }

  public int port() {
    return server.getLocalAddress().getPort();
  }

  /** Stops listening and closes the file. Blocking. */
  public void shutdown() {
    server.shutdown();
  }
}
