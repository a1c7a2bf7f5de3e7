package ai.codvid.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up compaction that can never lose the original: all live data is copied into a new file
 * ({@code codvid.mv.compacting}), the copy is verified (checksums, every entry read, the same
 * number of entries in every map), the original is kept as {@code codvid.mv.previous} (a hard
 * link, so no bytes are copied), and the copy is renamed over {@code codvid.mv} atomically.
 * The previous file stays until the next start that finds the data file sound.
 */
final class StoreCompactor {

  private static final Logger LOG = LoggerFactory.getLogger(StoreCompactor.class);
  /** Below this a file is not worth compacting. */
  static final long MIN_BYTES = 1024 * 1024;

  private StoreCompactor() {
  }

  /** Deletes what an earlier start left behind: an interrupted compaction, and the previous file once the current one is sound. */
  static void cleanUp(StoreFiles files) {
    StoreFiles.deleteQuietly(files.compacting());
    StoreFiles.deleteQuietly(StoreFiles.sumsOf(files.compacting()));
    StoreFiles.deleteQuietly(files.previous());
    StoreFiles.deleteQuietly(StoreFiles.sumsOf(files.previous()));
  }

  /** True when the file holds much more than its live data. */
  static boolean worthwhile(StoreVerifier.Report report, double ratio) {
    return report.fileBytes() > MIN_BYTES && report.fileBytes() > ratio * Math.max(1, report.liveBytes());
  }

  /**
   * Keeps a copy of the verified data file as {@code codvid.mv.previous} until the next start,
   * so a recovery finds at least the state of the last start (done by compaction otherwise).
   */
  static void keepPrevious(StoreFiles files) {
    try {
      Files.copy(files.data(), files.previous(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      if (Files.exists(files.sums())) {
        Files.copy(files.sums(), StoreFiles.sumsOf(files.previous()), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      LOG.warn("Could not keep a copy of {} as {}: {}", files.data(), files.previous(), e.getMessage());
      StoreFiles.deleteQuietly(files.previous());
      StoreFiles.deleteQuietly(StoreFiles.sumsOf(files.previous()));
    }
  }

  /**
   * Compacts the data file as described above; on any problem the original stays in place, this
   * is logged, and false is answered.
   */
  static boolean compact(StoreFiles files, StoreOptions options) {
    Path target = files.compacting();
    Path targetSums = StoreFiles.sumsOf(target);
    long before = StoreVerifier.size(files.data());
    try {
      StoreFiles.deleteQuietly(target);
      StoreFiles.deleteQuietly(targetSums);
      Map<String, Long> sourceEntries;
      try (MVStore counting = new MVStore.Builder().fileName(files.data().toString()).readOnly().autoCommitDisabled().open()) {
        sourceEntries = StoreVerifier.readEverything(files.data(), counting, null);
      }
      // a fresh store for the copy: MVStoreTool opens every map with its own byte-level types
      try (MVStore source = new MVStore.Builder().fileName(files.data().toString()).readOnly().autoCommitDisabled().open();
          StoreEngine.Handle copy = StoreEngine.openFile(target, targetSums, options)) {
        MVStoreTool.compact(source, copy.store);
      }
      StoreVerifier.Report check = StoreVerifier.verifyFile(target, targetSums, null, true);
      Map<String, Long> copied = check.fullyRead() ? check.entries() : countEntries(target);
      if (!copied.equals(sourceEntries)) {
        throw new IllegalStateException("the copy holds " + copied + " entries, the original " + sourceEntries);
      }
      link(files.data(), files.previous());
      if (Files.exists(files.sums())) {
        link(files.sums(), StoreFiles.sumsOf(files.previous()));
      }
      Files.move(targetSums, files.sums(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(target, files.data(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Compacted {} from {} to {} bytes (the previous file is kept as {} until the next start)", files.data(), before,
          StoreVerifier.size(files.data()), files.previous());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Start-up compaction of {} skipped, the file is used as it is: {}", files.data(), StoreVerifier.oneLine(e.getMessage()));
      StoreFiles.deleteQuietly(target);
      StoreFiles.deleteQuietly(targetSums);
      return false;
    }
  }

  private static Map<String, Long> countEntries(Path file) {
    try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().autoCommitDisabled().open()) {
      return StoreVerifier.readEverything(file, store, null);
    }
  }

  /** A second name for a file (a hard link), or a copy where links are not supported. */
  static void link(Path existing, Path link) throws IOException {
    Files.deleteIfExists(link);
    try {
      Files.createLink(link, existing);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(existing, link, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }
}
