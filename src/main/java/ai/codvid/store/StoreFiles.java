package ai.codvid.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The files of the embedded store in its data directory.
 *
 * <pre>
 * codvid.mv                 the MVStore data file
 * codvid.mv.sums            a checksum of every chunk written to it (see {@link ChunkLog})
 * codvid.mv.previous(.sums) the file as it was before the last start-up compaction, kept until the next start
 * codvid.mv.compacting(.sums) a compaction in progress (removed at start if left behind)
 * store-credentials         user and password of the wire protocol (0600)
 * store.uri                 the connection string of the running store, credentials included (0600)
 * </pre>
 */
public final class StoreFiles {

  public static final String DATA = "codvid.mv";
  static final String SUMS_SUFFIX = ".sums";
  static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path dir;

  public StoreFiles(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  public Path data() {
    return dir.resolve(DATA);
  }

  public Path sums() {
    return sumsOf(data());
  }

  public Path previous() {
    return dir.resolve(DATA + ".previous");
  }

  public Path compacting() {
    return dir.resolve(DATA + ".compacting");
  }

  public Path credentials() {
    return dir.resolve("store-credentials");
  }

  public Path uri() {
    return dir.resolve("store.uri");
  }

  public Path backups() {
    return dir.resolve("backups");
  }

  /** The checksum file that belongs to a data file. */
  public static Path sumsOf(Path dataFile) {
    return dataFile.resolveSibling(dataFile.getFileName() + SUMS_SUFFIX);
  }

  /** Creates the data directory owner-only (0700), or narrows an existing one to it. */
  void ensureDirectory() {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
      }
      if (!Files.isDirectory(dir)) {
        throw new StoreDamageException(dir, "is not a directory", "set CODVID_DATA_DIR to a directory");
      }
      if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to narrow
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small file readable by the owner only, atomically (write a temporary, then rename). */
  static void writeOwnerOnly(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
