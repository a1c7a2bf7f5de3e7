package ai.codvid.store;

import de.bwaldvogel.mongo.bson.Document;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running embedded store: one MVStore file behind mongo-java-server's H2 backend, and the
 * one thread (the committer) that ever writes to the file.
 *
 * <ul>
 *   <li><b>Group commit.</b> A write command changes the maps in memory on the connection's
 *       thread and queues its reply; the committer takes everything queued, commits it in one
 *       MVStore commit (one chunk), and only then sends the replies. Writes that arrive
 *       together share a commit; a reply never leaves before its write is in the file, so a
 *       {@code kill -9} loses nothing acknowledged.</li>
 *   <li><b>Bounded file.</b> Space of dead chunks is reused at once (retention time 0; readers
 *       register the version they read, so a chunk in use is never overwritten), and between
 *       commits the committer compacts the file online whenever it grows beyond
 *       {@code store.max_file_to_live_ratio} times its live data.</li>
 *   <li><b>Full disk.</b> Writes are refused (MongoDB's {@code OutOfDiskSpace}, 14031) while the
 *       disk has less than {@code store.min_free_bytes} free; reads go on. If a commit fails
 *       anyway, the store is reopened read-only at its last commit and read-write again once
 *       space is back, without a restart. Each change of state is logged once.</li>
 *   <li><b>Consistent backups</b> are copied by the committer between two commits.</li>
 * </ul>
 */
final class StoreEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StoreEngine.class);
  static final int OUT_OF_DISK_SPACE = 14031;
  static final int SHUTDOWN_IN_PROGRESS = 91;
  private static final long DISK_CHECK_MILLIS = 200;
  private static final long REOPEN_RETRY_MILLIS = 1000;
  private static final int COMPACT_STEP_BYTES = 4 * 1024 * 1024;
  private static final long COUNTS_INTERVAL_MILLIS = 60_000;
  private static final int COPY_BYTES = 1 << 20;

  /** An open data file with its checksum log. */
  static final class Handle implements AutoCloseable {
    final MVStore store;
    final ChunkLog log;
    final Path file;

    private Handle(MVStore store, ChunkLog log, Path file) {
      this.store = store;
      this.log = log;
      this.file = file;
    }

    /** Closes cleanly (last commit, clean-shutdown mark). */
    @Override
    public void close() {
      try {
        if (!store.isClosed()) {
          store.close();
        }
      } finally {
        release();
      }
    }

    /** Closes without writing anything (after a failure). */
    void closeImmediately() {
      try {
        store.closeImmediately();
      } finally {
        release();
      }
    }

    private void release() {
      if (log != null) {
        ChecksumFilePath.unregister(file);
        try {
          log.close();
        } catch (IOException ignored) {
          // nothing left to write
        }
      }
    }
  }

  /** The store a command runs against. */
  private record Generation(Handle handle, CodvidBackend backend, boolean readOnly, long number) {
  }

  private record Pending(Generation generation, Document reply, RuntimeException failure,
      BiConsumer<Document, RuntimeException> done) {
  }

  private final StoreFiles files;
  private final StoreOptions options;
  private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread committer;
  private final FileStore disk;
  private volatile Generation current;
  private volatile boolean running = true;
  private volatile String commitFailure;
  private volatile long freeBytes = Long.MAX_VALUE;
  private volatile long freeCheckedAt;
  private volatile String loggedRefusal;
  private long lastMaintenance = System.currentTimeMillis();
  private long lastCounts = System.currentTimeMillis();
  private long countedVersion = -1;
  private long lastReopenAttempt;
  private long lastSwap = System.currentTimeMillis();

  private StoreEngine(StoreFiles files, StoreOptions options, Handle handle) throws IOException {
    this.files = files;
    this.options = options;
    this.disk = Files.getFileStore(files.dir());
    this.current = new Generation(handle, new CodvidBackend(handle.store, options.maxDocumentBytes()), false, 1);
    this.committer = new Thread(this::commitLoop, "codvid-store-committer");
    this.committer.setDaemon(true);
  }

  /** Opens the (verified) data file of a data directory for reading and writing. */
  static StoreEngine open(StoreFiles files, StoreOptions options) {
    Handle handle = openFile(files.data(), files.sums(), options);
    try {
      StoreEngine engine = new StoreEngine(files, options, handle);
      engine.committer.start();
      engine.writeRefusal();
      return engine;
    } catch (IOException | RuntimeException e) {
      handle.closeImmediately();
      throw new IllegalStateException("Cannot open the store " + files.data() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens a data file read-write through the checksumming file system, with the settings of
   * this engine: no background thread (the committer commits), retention time 0, LZF pages.
   * Live chunks the checksum log does not know yet are recorded first.
   */
  static Handle openFile(Path file, Path sums, StoreOptions options) {
    MVStore.Builder builder = new MVStore.Builder()
        .fileName(ChecksumFilePath.name(file))
        .autoCommitDisabled()
        .autoCommitBufferSize(0)
        .cacheSize(options.cacheMb());
    if (options.compress()) {
      builder.compress();
    }
    MVStore store = builder.open();
    ChunkLog log = null;
    try {
      store.setRetentionTime(0);
      long created = org.h2.mvstore.DataUtils.readHexLong(store.getStoreHeader(), "created", 0);
      ChunkLog.Contents known = ChunkLog.read(sums);
      log = ChunkLog.open(sums, created);
      Set<Long> recorded = known == null || known.created() != created ? Set.of() : new HashSet<>(known.entries().keySet());
      StoreVerifier.Reader reader = reader(store);
      for (StoreVerifier.ChunkInfo chunk : StoreVerifier.chunks(store, reader, store.getFileStore().size())) {
        if (!recorded.contains(ChunkLog.Entry.key(chunk.id(), chunk.version()))) {
          ByteBuffer bytes = reader.read(chunk.start(), chunk.blocks() * 4096);
          log.append(new ChunkLog.Entry(chunk.id(), chunk.version(), chunk.block(), bytes.remaining(), ChunkLog.crc(bytes)));
        }
      }
      ChecksumFilePath.register(file, log);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      return new Handle(store, log, file);
    } catch (IOException | RuntimeException e) {
      store.closeImmediately();
      if (log != null) {
        try {
          log.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      throw new IllegalStateException("Cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the data file through the store's own channel. Opening and closing another channel on
   * the file would silently drop the lock MVStore holds on it (POSIX locks belong to the process).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static StoreVerifier.Reader reader(MVStore store) {
    org.h2.mvstore.FileStore fileStore = store.getFileStore();
    return (position, length) -> fileStore.readFully(null, position, length);
  }

  private static Handle openReadOnly(Path file) {
    MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().autoCommitDisabled().open();
    return new Handle(store, null, file);
  }

  // ---- commands ----

  /** Runs a command that only reads. */
  Document read(Function<CodvidBackend, Document> command) {
    swap.readLock().lock();
    try {
      Generation g = current;
      MVStore.TxCounter reading = g.handle().store.registerVersionUsage();
      try {
        return command.apply(g.backend());
      } finally {
        g.handle().store.deregisterVersionUsage(reading);
      }
    } catch (org.h2.mvstore.MVStoreException e) {
      if (current.handle().store.isClosed() || commitFailure != null) {
        throw unavailable(e);
      }
      throw e;
    } finally {
      swap.readLock().unlock();
    }
  }

  /**
   * Runs a command that may write: refused at once while the store cannot take writes,
   * otherwise applied in memory now and answered ({@code done}) after the commit that makes it
   * durable.
   */
  void write(Function<CodvidBackend, Document> command, BiConsumer<Document, RuntimeException> done) {
    String refusal = writeRefusal();
    if (refusal != null) {
      done.accept(null, outOfSpace(refusal));
      return;
    }
    Generation g;
    Document reply = null;
    RuntimeException failure = null;
    swap.readLock().lock();
    try {
      g = current;
      if (g.readOnly()) {
        done.accept(null, outOfSpace(String.valueOf(commitFailure)));
        return;
      }
      MVStore.TxCounter writing = g.handle().store.registerVersionUsage();
      try {
        reply = command.apply(g.backend());
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        g.handle().store.deregisterVersionUsage(writing);
      }
      // queued before the lock is released, so a compaction by copy finds it and answers it
      queue.add(new Pending(g, reply, failure, done));
    } finally {
      swap.readLock().unlock();
    }
  }

  /** Why writes are refused right now, or null; logs each change once. */
  String writeRefusal() {
    String reason = commitFailure;
    if (reason == null && options.minFreeBytes() > 0) {
      long free = free();
      if (free < options.minFreeBytes()) {
        reason = "the disk holding " + files.dir() + " is full: " + mib(free) + " free, writes need at least "
            + mib(options.minFreeBytes()) + " (store.min_free_bytes)";
      }
    }
    String logged = loggedRefusal;
    if (reason != null && logged == null) {
      loggedRefusal = reason;
      LOG.warn("The store stopped accepting writes: {}. Reads go on; writes answer 503 until space is freed.", reason);
    } else if (reason == null && logged != null) {
      loggedRefusal = null;
      LOG.info("The store accepts writes again ({} free)", mib(free()));
    }
    return reason;
  }

  private long free() {
    long now = System.currentTimeMillis();
    if (now - freeCheckedAt > DISK_CHECK_MILLIS) {
      try {
        freeBytes = disk.getUsableSpace();
      } catch (IOException e) {
        freeBytes = 0;
      }
      freeCheckedAt = now;
    }
    return freeBytes;
  }

  StoreStatus status() {
    String refusal = writeRefusal();
    Generation g = current;
    long version = g.handle().store.isClosed() ? -1 : g.handle().store.getCurrentVersion();
    return new StoreStatus(refusal == null, refusal, StoreVerifier.size(files.data()), version, free());
  }

  private static RuntimeException outOfSpace(String reason) {
    return new de.bwaldvogel.mongo.exception.MongoServerError(OUT_OF_DISK_SPACE, "OutOfDiskSpace",
        "the store cannot accept writes: " + reason);
  }

  private static RuntimeException unavailable(Exception cause) {
    return new de.bwaldvogel.mongo.exception.MongoServerError(SHUTDOWN_IN_PROGRESS, "ShutdownInProgress",
        "the store is being reopened: " + cause.getMessage());
  }

  // ---- the committer ----

  private void commitLoop() {
    List<Object> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Object first = queue.poll(250, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch);
          process(batch);
          batch.clear();
        }
        housekeeping();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        LOG.error("Store committer: {}", t.toString(), t);
      }
    }
  }

  private void process(List<Object> batch) {
    List<Pending> pending = new ArrayList<>();
    List<Runnable> tasks = new ArrayList<>();
    for (Object item : batch) {
      if (item instanceof Pending p) {
        pending.add(p);
      } else {
        tasks.add((Runnable) item);
      }
    }
    RuntimeException failed = null;
    if (!pending.isEmpty()) {
      failed = commit();
    }
    for (Pending p : pending) {
      if (p.generation() != current || p.generation().readOnly()) {
        p.done().accept(null, outOfSpace("the commit failed: " + commitFailure));
      } else if (failed != null) {
        p.done().accept(null, failed);
      } else {
        p.done().accept(p.reply(), p.failure());
      }
    }
    tasks.forEach(Runnable::run);
  }

  /** Commits everything applied so far; on failure the store is reopened (read-only if need be). */
  private RuntimeException commit() {
    Generation g = current;
    if (g.readOnly()) {
      return null;
    }
    try {
      g.handle().store.commit();
      if (options.syncOnCommit()) {
        g.handle().store.sync();
      }
      return null;
    } catch (RuntimeException e) {
      String reason = "a commit failed (" + StoreVerifier.oneLine(rootMessage(e)) + ")";
      commitFailure = reason;
      writeRefusal();
      reopen(false);
      return outOfSpace(reason);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** Swaps in a new generation: read-write when asked (and possible), else read-only. */
  private void reopen(boolean readWrite) {
    lastReopenAttempt = System.currentTimeMillis();
    swap.writeLock().lock();
    try {
      Generation old = current;
      old.handle().closeImmediately();
      Handle handle;
      boolean readOnly = !readWrite;
      try {
        handle = readWrite ? openFile(files.data(), files.sums(), options) : openReadOnly(files.data());
      } catch (RuntimeException e) {
        if (!readWrite) {
          throw e;
        }
        LOG.warn("The store could not be reopened for writing yet: {}", StoreVerifier.oneLine(e.getMessage()));
        handle = openReadOnly(files.data());
        readOnly = true;
      }
      current = new Generation(handle, new CodvidBackend(handle.store, options.maxDocumentBytes()), readOnly, old.number() + 1);
      if (!readOnly) {
        commitFailure = null;
      }
      LOG.info("Store reopened {} at version {}", readOnly ? "read-only" : "read-write", handle.store.getCurrentVersion());
    } catch (RuntimeException e) {
      LOG.error("The store could not be reopened: {}", StoreVerifier.oneLine(e.getMessage()));
    } finally {
      swap.writeLock().unlock();
    }
  }

  private void housekeeping() {
    long now = System.currentTimeMillis();
    if (current.readOnly() && now - lastReopenAttempt > REOPEN_RETRY_MILLIS
        && (options.minFreeBytes() <= 0 ? freeNow() > 0 : freeNow() >= options.minFreeBytes())) {
      reopen(true);
      writeRefusal();
    }
    if (now - lastMaintenance >= options.compactIntervalMillis()) {
      lastMaintenance = now;
      compactIfNeeded();
    }
    if (now - lastCounts >= COUNTS_INTERVAL_MILLIS) {
      lastCounts = now;
      writeCounts();
    }
  }

  /** Records the document count of every collection (when something changed), for recoveries. */
  private void writeCounts() {
    Generation g = current;
    if (g.readOnly() || g.handle().store.isClosed() || g.handle().store.getCurrentVersion() == countedVersion) {
      return;
    }
    try {
      StoreCounts.Counts counts = StoreCounts.of(g.handle().store);
      StoreCounts.write(files, counts);
      countedVersion = counts.version();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Could not record the collection counts: {}", e.toString());
    }
  }

  private long freeNow() {
    freeCheckedAt = 0;
    return free();
  }

  /**
   * Online compaction, a few bounded steps when the file is much larger than its live data:
   * the live pages of the sparsest chunks are rewritten (MVStore's own chunk rewriting) and
   * committed into free space nearer the start, so the old chunks die, their space is reused,
   * and the free tail of the file is cut off. Chunks are never moved in place (MVStore's
   * {@code compactMoveChunks} trips its own consistency assertion under concurrent writes).
   */
  void compactIfNeeded() {
    Generation g = current;
    if (g.readOnly() || writeRefusal() != null) {
      return;
    }
    MVStore store = g.handle().store;
    try {
      org.h2.mvstore.FileStore<?> fileStore = store.getFileStore();
      long before = fileStore.size();
      long deadline = System.nanoTime() + options.compactMaxMillis() * 1_000_000;
      while (fileStore.size() > StoreCompactor.MIN_BYTES
          && fileStore.size() > options.maxFileToLiveRatio() * Math.max(liveBytes(store), 1)
          && System.nanoTime() < deadline) {
        if (!store.compact(100, COMPACT_STEP_BYTES)) {
          break;
        }
        store.commit();
      }
      if (fileStore.size() != before) {
        LOG.debug("Online compaction: {} -> {} bytes (live about {})", before, fileStore.size(), liveBytes(store));
      }
      if (fileStore.size() > StoreCompactor.MIN_BYTES
          && fileStore.size() > options.maxFileToLiveRatio() * Math.max(liveBytes(store), 1)
          && System.currentTimeMillis() - lastSwap >= options.swapIntervalMillis()) {
        swapCompact();
        return;
      }
      ChunkLog log = g.handle().log;
      List<StoreVerifier.ChunkInfo> chunks = StoreVerifier.chunks(store);
      if (log != null && log.records() > 4L * chunks.size() + 1024) {
        Set<Long> liveChunks = new HashSet<>();
        chunks.forEach(c -> liveChunks.add(ChunkLog.Entry.key(c.id(), c.version())));
        long created = org.h2.mvstore.DataUtils.readHexLong(store.getStoreHeader(), "created", 0);
        long newest = store.getCurrentVersion();
        log.compact(created, e -> liveChunks.contains(e.key()) || e.version() >= newest);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Online compaction step failed: {}", StoreVerifier.oneLine(e.getMessage()), e);
    }
  }

  /**
   * Compaction by copy, when rewriting chunks cannot keep the file small (chunks that are fully
   * live but sit at the end of the file pin its length): every command waits while everything
   * pending is committed and answered, the live data is copied into a new file
   * ({@code codvid.mv.compacting}), the copy is checked (checksums, the same entries in every
   * map), the old file is kept as {@code codvid.mv.previous}, and the copy is renamed over the
   * data file atomically and opened. Commands resume after about the time a copy of the live
   * data takes; at most once per {@code store.swap_compact_interval_seconds}.
   */
  private void swapCompact() {
    lastSwap = System.currentTimeMillis();
    long started = System.nanoTime();
    swap.writeLock().lock();
    try {
      List<Object> pending = new ArrayList<>();
      queue.drainTo(pending);
      process(pending);
      Generation g = current;
      if (g.readOnly()) {
        return;
      }
      long before = g.handle().store.getFileStore().size();
      g.handle().close();
      boolean compacted = StoreCompactor.compact(files, options);
      Handle handle = openFile(files.data(), files.sums(), options);
      current = new Generation(handle, new CodvidBackend(handle.store, options.maxDocumentBytes()), false, g.number() + 1);
      if (compacted) {
        LOG.info("Compacted {} online from {} to {} bytes in {} ms (commands waited meanwhile)", files.data(), before,
            handle.store.getFileStore().size(), (System.nanoTime() - started) / 1_000_000);
      }
    } catch (RuntimeException e) {
      LOG.warn("Online compaction by copy failed: {}", StoreVerifier.oneLine(e.getMessage()));
      if (current.handle().store.isClosed()) {
        reopenAfterFailedSwap();
      }
    } finally {
      swap.writeLock().unlock();
    }
  }

  /** The old file was closed but the copy could not take its place: open it again (the lock is held). */
  private void reopenAfterFailedSwap() {
    try {
      Handle handle = openFile(files.data(), files.sums(), options);
      current = new Generation(handle, new CodvidBackend(handle.store, options.maxDocumentBytes()), false, current.number() + 1);
    } catch (RuntimeException e) {
      commitFailure = "the data file could not be reopened after a compaction (" + StoreVerifier.oneLine(e.getMessage()) + ")";
      Handle handle = openReadOnly(files.data());
      current = new Generation(handle, new CodvidBackend(handle.store, options.maxDocumentBytes()), true, current.number() + 1);
    }
  }

  /** Bytes of the file holding live pages (estimated from block and chunk fill rates). */
  static long liveBytes(MVStore store) {
    org.h2.mvstore.FileStore<?> fileStore = store.getFileStore();
    return fileStore.size() * store.getFillRate() / 100 * fileStore.getChunksFillRate() / 100;
  }

  // ---- backups ----

  /**
   * Writes a consistent copy of the store (data file and checksum log) to {@code target}: the
   * committer commits what is pending and copies the files before the next commit, so writes
   * are acknowledged a little later meanwhile and reads are not affected. The copy is then
   * verified before it gets its final name.
   */
  Path backup(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute)) {
      throw new IOException(absolute + " already exists");
    }
    Files.createDirectories(absolute.getParent());
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
    Path partialSums = StoreFiles.sumsOf(partial);
    CompletableFuture<Void> copied = new CompletableFuture<>();
    queue.add((Runnable) () -> {
      try {
        RuntimeException failed = commit();
        if (failed != null) {
          throw failed;
        }
        copyThroughStore(current.handle().store, partial);
        Files.copy(files.sums(), partialSums, StandardCopyOption.REPLACE_EXISTING);
        copied.complete(null);
      } catch (IOException | RuntimeException e) {
        copied.completeExceptionally(e);
      }
    });
    try {
      copied.get(10, TimeUnit.MINUTES);
      StoreVerifier.verifyFile(partial, partialSums, null, false);
      Files.move(partialSums, StoreFiles.sumsOf(absolute), StandardCopyOption.ATOMIC_MOVE);
      Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
      return absolute;
    } catch (Exception e) {
      StoreFiles.deleteQuietly(partial);
      StoreFiles.deleteQuietly(partialSums);
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IOException("The backup failed: " + StoreVerifier.oneLine(String.valueOf(cause.getMessage())), cause);
    }
  }

  /** Copies the data file byte for byte through the store's own channel (see {@link #reader}). */
  private static void copyThroughStore(MVStore store, Path target) throws IOException {
    StoreVerifier.Reader reader = reader(store);
    long size = store.getFileStore().size();
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      for (long at = 0; at < size; at += COPY_BYTES) {
        ByteBuffer bytes = reader.read(at, (int) Math.min(COPY_BYTES, size - at));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      }
    }
  }

  // ---- closing ----

  /** Commits and answers what is pending, then closes the file cleanly. */
  @Override
  public void close() {
    running = false;
    try {
      committer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    swap.writeLock().lock();
    try {
      Generation g = current;
      if (g.readOnly()) {
        g.handle().closeImmediately();
      } else {
        g.handle().store.commit();
        writeCounts();
        g.handle().close();
      }
    } finally {
      swap.writeLock().unlock();
    }
  }

  /** Closes without committing (tests use it to stand for a crash). */
  void crash() {
    running = false;
    committer.interrupt();
    current.handle().closeImmediately();
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
