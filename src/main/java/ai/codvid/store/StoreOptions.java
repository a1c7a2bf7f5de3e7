package ai.codvid.store;

import ai.codvid.config.AppConfig;
import java.nio.file.Path;

/**
 * Settings of the embedded store (keys under {@code store.} and {@code embedded_mongo.}).
 *
 * @param dataDir the data directory (mode 0700) holding the data file and its side files
 * @param port loopback port of the wire server (0 = any free port)
 * @param password the password of the wire protocol's only user; null = generated and kept in
 *     the data directory
 * @param maxDocumentBytes largest stored document (BSON bytes); larger writes answer 413
 * @param minFreeBytes writes are refused (503) while the disk holding the data directory has less
 *     free space than this
 * @param maxFileToLiveRatio online compaction starts when the file is larger than this multiple of
 *     its live data
 * @param compactIntervalMillis how often the compaction policy looks at the file
 * @param compactMaxMillis longest single compaction step (commits wait meanwhile)
 * @param swapIntervalMillis compaction by copying the file (commands wait meanwhile) happens at
 *     most this often
 * @param syncOnCommit fsync after every group commit (power-loss durability; a {@code kill -9}
 *     loses nothing acknowledged either way)
 * @param compress LZF-compress pages
 * @param cacheMb page cache of the store
 */
public record StoreOptions(Path dataDir, int port, String password, long maxDocumentBytes, long minFreeBytes,
    double maxFileToLiveRatio, long compactIntervalMillis, long compactMaxMillis, long swapIntervalMillis, boolean syncOnCommit,
    boolean compress, int cacheMb) {

  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 4L * 1024 * 1024;
  public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;

  public static StoreOptions from(AppConfig config) {
    return new StoreOptions(config.dataDir(),
        config.integer("embedded_mongo.port", 0),
        config.string("embedded_mongo.password", null),
        config.longValue("store.max_document_bytes", DEFAULT_MAX_DOCUMENT_BYTES),
        config.longValue("store.min_free_bytes", DEFAULT_MIN_FREE_BYTES),
        config.decimal("store.max_file_to_live_ratio", 2.0),
        Math.round(config.decimal("store.compact_interval_seconds", 5) * 1000),
        config.longValue("store.compact_max_ms", 200),
        Math.round(config.decimal("store.swap_compact_interval_seconds", 600) * 1000),
        config.bool("store.sync_on_commit", false),
        config.bool("store.compress", true),
        config.integer("store.cache_mb", 16));
  }

  /** Defaults for a data directory (tools and tests). */
  public static StoreOptions defaults(Path dataDir) {
    return new StoreOptions(dataDir, 0, null, DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MIN_FREE_BYTES, 2.0, 5_000, 200, 600_000, false, true,
        16);
  }

  public StoreOptions withPort(int newPort) {
    return new StoreOptions(dataDir, newPort, password, maxDocumentBytes, minFreeBytes, maxFileToLiveRatio,
        compactIntervalMillis, compactMaxMillis, swapIntervalMillis, syncOnCommit, compress, cacheMb);
  }

  public StoreOptions withMinFreeBytes(long bytes) {
    return new StoreOptions(dataDir, port, password, maxDocumentBytes, bytes, maxFileToLiveRatio,
        compactIntervalMillis, compactMaxMillis, swapIntervalMillis, syncOnCommit, compress, cacheMb);
  }
}
