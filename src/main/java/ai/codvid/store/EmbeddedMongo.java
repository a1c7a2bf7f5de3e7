package ai.codvid.store;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MongoDB-wire store of a node: the data file under the data directory is verified
 * (a damaged file stops the start with a {@link StoreDamageException}), compacted into a new
 * file when worthwhile, opened by a {@link StoreEngine} and served on 127.0.0.1 by a
 * {@link WireServer} that requires the credentials of {@link StoreCredentials}.
 *
 * <p>Only one process can open the file at a time; a second node on the same data directory is
 * refused with a clear message.
 */
public final class EmbeddedMongo {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);
  public static final String FILE_NAME = StoreFiles.DATA;

  private final StoreFiles files;
  private final StoreEngine engine;
  private final WireServer server;
  private final String connectionString;

  private EmbeddedMongo(StoreFiles files, StoreEngine engine, WireServer server, String connectionString) {
    this.files = files;
    this.engine = engine;
    this.server = server;
    this.connectionString = connectionString;
  }

  /** Starts the store of a data directory with default settings on the given loopback port (0 = any). Blocking. */
  public static EmbeddedMongo start(Path dataDir, int port) {
    return start(StoreOptions.defaults(dataDir).withPort(port));
  }

  /** Verifies, compacts if worthwhile, opens and serves the store. Blocking: call off the event loop. */
  public static EmbeddedMongo start(StoreOptions options) {
    StoreFiles files = new StoreFiles(options.dataDir());
    files.ensureDirectory();
    long started = System.nanoTime();
    StoreVerifier.Report report = StoreVerifier.verify(files);
    if (report != null) {
      StoreCompactor.cleanUp(files);
      LOG.info("Verified {}: version {}, {} chunks, {} bytes{} in {} ms", files.data(), report.version(), report.chunks().size(),
          report.fileBytes(), report.fullyRead() ? ", every entry read" : ", every chunk checksummed",
          (System.nanoTime() - started) / 1_000_000);
      if (!StoreCompactor.worthwhile(report, options.maxFileToLiveRatio()) || !StoreCompactor.compact(files, options)) {
        StoreCompactor.keepPrevious(files);
      }
    }
    StoreEngine engine = StoreEngine.open(files, options);
    WireServer server;
    StoreCredentials credentials;
    try {
      credentials = StoreCredentials.load(files, options.password());
      server = WireServer.start(engine, new ScramSha256(credentials.user(), credentials.password()), options.port());
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    String uri = credentials.uri(server.port());
    try {
      StoreFiles.writeOwnerOnly(files.uri(), uri + "\n");
    } catch (IOException e) {
      LOG.warn("Could not write {}: {}", files.uri(), e.getMessage());
    }
    LOG.info("Embedded MongoDB-wire store on 127.0.0.1:{} (SCRAM-SHA-256, user {}) with data in {}", server.port(),
        credentials.user(), files.data());
    return new EmbeddedMongo(files, engine, server, uri);
  }

  /** The connection string, credentials included. */
  public String connectionString() {
    return connectionString;
  }

  public int port() {
    return server.port();
  }

  public Path dataFile() {
    return files.data();
  }

  /** Whether writes are accepted, and why not. */
  public StoreStatus status() {
    return engine.status();
  }

  /** Writes a consistent copy of the running store; see {@link StoreEngine#backup}. */
  public Path backup(Path target) throws IOException {
    return engine.backup(target);
  }

  /** Stops listening, answers what is pending and closes the file cleanly. Blocking. */
  public void shutdown() {
    try {
      server.close();
    } finally {
      engine.close();
    }
  }
}
