package ai.codvid.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * Checks a data file without changing a byte of it: that it is a readable, writable MVStore
 * file, that it still holds the newest version ever committed to it (its own header and the
 * {@link ChunkLog} remember that version, so a truncated file is caught even though MVStore
 * would silently open an older version), and that every live chunk matches its checksum. Files
 * without checksums (written by an older Codvid or another tool) are checked by reading every
 * entry of every map instead.
 */
final class StoreVerifier {

  /** A live chunk as the store's layout describes it. */
  record ChunkInfo(int id, long version, long block, int blocks, long maxLength, long liveLength) {
    long start() {
      return block * 4096;
    }

    long end() {
      return (block + blocks) * 4096;
    }
  }

  /**
   * What a check found in a sound file.
   *
   * @param version the newest version in the file
   * @param created creation time of the file (its identity for the checksum log)
   * @param chunks the live chunks
   * @param unrecorded live chunks without a checksum (written while the process died, or never recorded)
   * @param fullyRead whether every entry of every map was read (no usable checksums)
   * @param entries entries per map, when fully read
   * @param fileBytes size of the file
   */
  record Report(long version, long created, List<ChunkInfo> chunks, List<ChunkInfo> unrecorded, boolean fullyRead,
      Map<String, Long> entries, long fileBytes) {

    /** Bytes of live pages, estimated from the chunks' live fractions. */
    long liveBytes() {
      double live = 0;
      for (ChunkInfo c : chunks) {
        live += c.maxLength() == 0 ? 0 : c.blocks() * 4096.0 * c.liveLength() / c.maxLength();
      }
      return Math.round(live);
    }
  }

  private StoreVerifier() {
  }

  /**
   * Verifies the data file of a data directory; null when there is none yet (a new store).
   *
   * @throws StoreDamageException with a one-line message when the file must not be used
   */
  static Report verify(StoreFiles files) {
    Path file = files.data();
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      if (Files.exists(files.sums())) {
        throw new StoreDamageException(file, "is missing, but its checksum file " + files.sums() + " shows data was written to it",
            "restore it from a backup (java -jar codvid-ai.jar store restore --data-dir " + files.dir() + " --from <backup>)"
                + (Files.exists(files.previous()) ? " or from " + files.previous() : "")
                + ", or remove " + files.sums() + " to start with an empty store");
      }
      return null;
    }
    return verifyFile(file, files.sums(), StoreDamageException.recoverCommand(files.dir()), true);
  }

  /** Verifies any data file (a backup, a compacted copy) with its checksum log, if it has one. */
  static Report verifyFile(Path file, Path sums, String remedy, boolean needsWrite) {
    checkAccess(file, remedy, needsWrite);
    checkLength(file, sums, remedy);
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).readOnly().autoCommitDisabled().open();
    } catch (MVStoreException e) {
      if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
        throw new StoreDamageException(file, "is in use by another process (is another Codvid node running on this data directory?)",
            "stop it, or give this node its own CODVID_DATA_DIR");
      }
      throw new StoreDamageException(file, openFailure(String.valueOf(e.getMessage()), size(file)), remedy);
    } catch (RuntimeException e) {
      throw new StoreDamageException(file, openFailure(String.valueOf(e.getMessage()), size(file)), remedy);
    }
    try {
      return check(file, sums, store, remedy);
    } finally {
      store.closeImmediately();
    }
  }

  private static Report check(Path file, Path sums, MVStore store, String remedy) {
    long fileBytes = size(file);
    long version = store.getCurrentVersion();
    Map<String, Object> header = store.getStoreHeader();
    long created = DataUtils.readHexLong(header, "created", 0);
    long headerVersion = DataUtils.readHexLong(header, "version", 0);
    if (headerVersion > version) {
      throw new StoreDamageException(file, "is truncated or damaged: its header names version " + headerVersion
          + ", but the newest complete version left in its " + fileBytes + " bytes is " + version, remedy);
    }
    ChunkLog.Contents log;
    try {
      log = ChunkLog.read(sums);
    } catch (IOException e) {
      log = null;
    }
    boolean logMatches = log != null && log.created() == created;
    if (logMatches && log.newestVersion() > version) {
      ChunkLog.Entry newest = log.newest();
      throw new StoreDamageException(file, "is truncated or damaged: version " + newest.version() + " was committed (chunk "
          + newest.chunkId() + " at bytes " + newest.block() * 4096 + "-" + (newest.block() * 4096 + newest.length())
          + "), but the newest complete version left in its " + fileBytes + " bytes is " + version, remedy);
    }
    List<ChunkInfo> chunks;
    try {
      chunks = chunks(store, file);
    } catch (RuntimeException e) {
      throw new StoreDamageException(file, "has a damaged chunk directory (" + oneLine(String.valueOf(e.getMessage())) + ")", remedy);
    }
    List<ChunkInfo> unrecorded = new ArrayList<>();
    boolean needFullRead = !logMatches;
    if (logMatches) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        for (ChunkInfo chunk : chunks) {
          ChunkLog.Entry entry = log.entries().get(ChunkLog.Entry.key(chunk.id(), chunk.version()));
          if (entry == null) {
            unrecorded.add(chunk);
            if (chunk.version() <= log.newestVersion()) {
              needFullRead = true;
            }
            continue;
          }
          if (chunk.end() > fileBytes) {
            throw new StoreDamageException(file, "is truncated: chunk " + chunk.id() + " should occupy bytes " + chunk.start() + "-"
                + chunk.end() + " but the file has " + fileBytes + " bytes", remedy);
          }
          ByteBuffer bytes = ByteBuffer.allocate(entry.length());
          while (bytes.hasRemaining() && channel.read(bytes, chunk.start() + bytes.position()) > 0) {
            // read the whole chunk
          }
          bytes.flip();
          if (bytes.remaining() != entry.length() || ChunkLog.crc(bytes) != entry.crc()) {
            throw new StoreDamageException(file, "is damaged: chunk " + chunk.id() + " (version " + chunk.version() + ", bytes "
                + chunk.start() + "-" + chunk.end() + ") does not match the checksum written with it", remedy);
          }
        }
      } catch (IOException e) {
        throw new StoreDamageException(file, "cannot be read (" + oneLine(e.toString()) + ")", remedy);
      }
    }
    Map<String, Long> entries = new LinkedHashMap<>();
    if (needFullRead) {
      entries = readEverything(file, store, remedy);
    }
    return new Report(version, created, chunks, unrecorded, needFullRead, entries, fileBytes);
  }

  /** Reads every entry of every map (documents are deserialized): a damaged page fails here. */
  static Map<String, Long> readEverything(Path file, MVStore store, String remedy) {
    Map<String, Long> entries = new LinkedHashMap<>();
    for (String name : store.getMapNames()) {
      try {
        MVMap<Object, Object> map = store.openMap(name);
        long n = 0;
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
          if (entry.getValue() == null) {
            throw new IllegalStateException("entry " + entry.getKey() + " has no value");
          }
          n++;
        }
        if (n != map.sizeAsLong()) {
          throw new IllegalStateException("counted " + n + " entries, the map says " + map.sizeAsLong());
        }
        entries.put(name, n);
      } catch (RuntimeException e) {
        throw new StoreDamageException(file, "is damaged: map '" + name + "' cannot be read (" + oneLine(String.valueOf(e.getMessage())) + ")",
            remedy);
      }
    }
    return entries;
  }

  /**
   * The live chunks of an open store: those its layout lists, and the newest one, which the
   * layout never lists (its metadata lives in the chunk itself); that one is found by its
   * header in the file.
   */
  static List<ChunkInfo> chunks(MVStore store, Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return chunks(store, (pos, len) -> {
        ByteBuffer buffer = ByteBuffer.allocate(len);
        while (buffer.hasRemaining() && channel.read(buffer, pos + buffer.position()) > 0) {
          // fill
        }
        buffer.flip();
        return buffer;
      }, channel.size());
    } catch (IOException e) {
      return chunks(store);
    }
  }

  /** Reads bytes of a data file (through the store's own channel while a node holds the file). */
  @FunctionalInterface
  interface Reader {
    ByteBuffer read(long position, int length) throws IOException;
  }

  /**
   * As {@link #chunks(MVStore, Path)}, reading through {@code reader}: a process that holds the
   * file locked must not open and close another channel on it, which would drop its lock.
   */
  static List<ChunkInfo> chunks(MVStore store, Reader reader, long size) {
    List<ChunkInfo> chunks = chunks(store);
    long version = store.getCurrentVersion();
    if (version > 0 && chunks.stream().noneMatch(c -> c.version() == version)) {
      ChunkInfo newest = findChunk(reader, size, version);
      if (newest != null) {
        chunks.add(newest);
      }
    }
    return chunks;
  }

  /** The chunk of a version, by scanning the file for chunk headers at block starts; null if none. */
  static ChunkInfo findChunk(Reader reader, long size, long version) {
    try {
      int window = 1 << 20;
      byte[] prefix = "chunk:".getBytes(StandardCharsets.ISO_8859_1);
      for (long base = 2 * 4096; base < size; base += window) {
        ByteBuffer buffer = reader.read(base, (int) Math.min(window, size - base));
        for (int at = 0; at + 128 <= buffer.limit(); at += 4096) {
          boolean match = true;
          for (int i = 0; i < prefix.length && match; i++) {
            match = buffer.get(at + i) == prefix[i];
          }
          if (!match) {
            continue;
          }
          byte[] header = new byte[Math.min(1024, buffer.limit() - at)];
          buffer.get(at, header);
          String text = new String(header, StandardCharsets.ISO_8859_1);
          int end = text.indexOf('\n');
          Map<String, String> c = DataUtils.parseMap((end < 0 ? text : text.substring(0, end)).trim());
          if (DataUtils.readHexLong(c, "version", -1) == version) {
            long max = DataUtils.readHexLong(c, "max", 0);
            return new ChunkInfo((int) DataUtils.readHexLong(c, "chunk", 0), version, (base + at) / 4096,
                (int) DataUtils.readHexLong(c, "len", 0), max, max);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** The chunks an open store's layout lists (all live chunks but the newest). */
  static List<ChunkInfo> chunks(MVStore store) {
    List<ChunkInfo> chunks = new ArrayList<>();
    for (Map.Entry<String, String> e : store.getLayoutMap().entrySet()) {
      if (e.getKey().startsWith("chunk.")) {
        Map<String, String> c = DataUtils.parseMap(e.getValue());
        long max = DataUtils.readHexLong(c, "max", 0);
        chunks.add(new ChunkInfo((int) DataUtils.readHexLong(c, "chunk", 0), DataUtils.readHexLong(c, "version", 0),
            DataUtils.readHexLong(c, "block", 0), (int) DataUtils.readHexLong(c, "len", 0), max,
            DataUtils.readHexLong(c, "liveMax", max)));
      }
    }
    return chunks;
  }

  /**
   * A file shorter than the newest chunk its checksum log (or its header) knows of was
   * truncated; said plainly before MVStore gets to fail on it in its own words.
   */
  private static void checkLength(Path file, Path sums, String remedy) {
    long size = size(file);
    try {
      ChunkLog.Contents log = ChunkLog.read(sums);
      String header = new String(readStart(file, 4096), StandardCharsets.ISO_8859_1);
      int end = header.indexOf('\n');
      Map<String, String> fields = DataUtils.parseMap((end < 0 ? header : header.substring(0, end)).trim());
      long created = DataUtils.readHexLong(fields, "created", -1);
      if (log != null && log.created() == created && log.newest() != null) {
        ChunkLog.Entry newest = log.newest();
        long newestEnd = newest.block() * 4096 + newest.length();
        if (newestEnd > size) {
          throw new StoreDamageException(file, "is truncated: it has " + size + " bytes, but version " + newest.version()
              + " was committed in chunk " + newest.chunkId() + " at bytes " + newest.block() * 4096 + "-" + newestEnd, remedy);
        }
      }
      long block = DataUtils.readHexLong(fields, "block", 0);
      if (block * 4096 >= size && size > 0 && block > 0) {
        throw new StoreDamageException(file, "is truncated: it has " + size + " bytes, but its header points at a chunk at byte "
            + block * 4096, remedy);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof StoreDamageException damage) {
        throw damage;
      }
      // no usable log or header: MVStore's own checks follow
    }
  }

  private static final java.util.regex.Pattern READ_PAST_END = java.util.regex.Pattern.compile("failed at (\\d+) \\(length (\\d+)\\)");

  /**
   * What an MVStore open failure means for the operator: a read past the end of the file is a
   * truncation (the checksum log may not reach the cut when its newest chunk ends before it), any
   * other failure damage; H2's own text follows in brackets.
   */
  static String openFailure(String message, long size) {
    java.util.regex.Matcher m = READ_PAST_END.matcher(message);
    if (m.find() && Long.parseLong(m.group(1)) >= Long.parseLong(m.group(2))) {
      return "is truncated: it has " + size + " bytes, but its structure refers to byte " + m.group(1) + " (" + oneLine(message) + ")";
    }
    return "is damaged: it cannot be opened as an MVStore file (" + oneLine(message) + ")";
  }

  private static byte[] readStart(Path file, int length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      channel.read(buffer, 0);
      return java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  private static void checkAccess(Path file, String remedy, boolean needsWrite) {
    if (Files.isDirectory(file)) {
      throw new StoreDamageException(file, "is a directory, not a data file", "move it away; the data file must be a regular file");
    }
    if (!Files.isRegularFile(file)) {
      throw new StoreDamageException(file, "is not a regular file", "move it away; the data file must be a regular file");
    }
    byte[] start = new byte[64];
    int read;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.wrap(start);
      read = channel.read(buffer, 0);
    } catch (AccessDeniedException e) {
      throw new StoreDamageException(file, "cannot be read by this process (user " + System.getProperty("user.name")
          + "): permission denied", "give the user running Codvid read and write access to it (chown/chmod)");
    } catch (IOException e) {
      throw new StoreDamageException(file, "cannot be read (" + oneLine(e.toString()) + ")", remedy);
    }
    if (needsWrite) {
      try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE)) {
        // opening for writing changes nothing
      } catch (AccessDeniedException e) {
        throw new StoreDamageException(file, "cannot be written by this process (user " + System.getProperty("user.name")
            + "): permission denied", "give the user running Codvid read and write access to it (chown/chmod)");
      } catch (IOException e) {
        throw new StoreDamageException(file, "cannot be opened for writing (" + oneLine(e.toString()) + ")", remedy);
      }
    }
    if (size(file) == 0 || read <= 0) {
      throw new StoreDamageException(file, "is empty (0 bytes)", remedy);
    }
    String head = new String(start, 0, Math.max(0, read), StandardCharsets.ISO_8859_1);
    if (!head.startsWith("H:2,")) {
      throw new StoreDamageException(file, "is not an H2 MVStore data file (it starts with \"" + printable(head) + "\")", remedy);
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.substring(0, Math.min(16, s.length())).toCharArray()) {
      b.append(c >= 32 && c < 127 && c != '"' ? c : String.format(Locale.ROOT, "\\x%02x", (int) c));
    }
    return b.toString();
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
