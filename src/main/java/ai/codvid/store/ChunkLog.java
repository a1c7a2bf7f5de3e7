package ai.codvid.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The checksum of every chunk written to a data file, kept next to it ({@code codvid.mv.sums}).
 *
 * <p>MVStore checks the header and footer of a chunk but not its content, so garbage in the
 * middle of a page can go unnoticed or surface later as a failed read. Every chunk is appended
 * here (id, version, position, length and a CRC-32C of its bytes) before the commit that wrote it
 * is acknowledged, so at start-up each live chunk can be checked against its checksum, and the
 * newest version ever committed is known even when the end of the data file is gone.
 *
 * <p>Layout: a 32-byte header ({@code CODVSUMS}, the {@code created} time of the data file it
 * describes, a CRC), then 32-byte records. A torn last record (a crash while appending) is ignored.
 */
final class ChunkLog implements AutoCloseable {

  static final int RECORD = 32;
  private static final byte[] MAGIC = "CODVSUMS".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** One chunk as written. */
  record Entry(int chunkId, long version, long block, int length, int crc) {
    static long key(int chunkId, long version) {
      return version * 67_108_864L + chunkId;
    }

    long key() {
      return key(chunkId, version);
    }
  }

  /** What a checksum file says. */
  record Contents(long created, Map<Long, Entry> entries, long newestVersion, Entry newest) {
  }

  private final Path file;
  private FileChannel channel;
  private long position;

  private ChunkLog(Path file, FileChannel channel, long position) {
    this.file = file;
    this.channel = channel;
    this.position = position;
  }

  static int crc(ByteBuffer bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate());
    return (int) crc.getValue();
  }

  /** Opens the log of a data file for appending, starting a new one unless it describes {@code created}. */
  static ChunkLog open(Path file, long created) throws IOException {
    Contents existing = read(file);
    if (existing == null || existing.created() != created) {
      writeFresh(file, created, List.of());
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    long size = channel.size();
    long end = RECORD + (size - RECORD) / RECORD * RECORD;
    if (end != size) {
      channel.truncate(end);
    }
    return new ChunkLog(file, channel, end);
  }

  synchronized void append(Entry entry) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(RECORD);
    record.putInt(entry.chunkId()).putLong(entry.version()).putLong(entry.block()).putInt(entry.length()).putInt(entry.crc());
    record.putInt(crc(ByteBuffer.wrap(record.array(), 0, 28)));
    record.flip();
    while (record.hasRemaining()) {
      position += channel.write(record, position);
    }
  }

  /**
   * Rewrites the log with only the entries {@code keep} accepts (the live chunks), atomically;
   * call while no chunk is being written.
   */
  synchronized void compact(long created, java.util.function.Predicate<Entry> keep) throws IOException {
    Contents contents = read(file);
    List<Entry> live = contents == null ? List.of() : sorted(contents.entries().values().stream().filter(keep).toList());
    channel.close();
    writeFresh(file, created, live);
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    position = channel.size();
  }

  /** Number of records, for deciding when to rewrite the log. */
  synchronized long records() {
    return (position - RECORD) / RECORD;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  /** Writes a new log for a data file with the given entries, replacing any other atomically. */
  static void writeFresh(Path file, long created, Collection<Entry> entries) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(StoreFiles.OWNER_ONLY_FILE));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(RECORD);
      header.put(MAGIC).putLong(created);
      header.putInt(RECORD - 4, crc(ByteBuffer.wrap(header.array(), 0, RECORD - 4)));
      header.position(RECORD);
      header.flip();
      out.write(header);
      ByteBuffer record = ByteBuffer.allocate(RECORD);
      for (Entry entry : entries) {
        record.clear();
        record.putInt(entry.chunkId()).putLong(entry.version()).putLong(entry.block()).putInt(entry.length()).putInt(entry.crc());
        record.putInt(crc(ByteBuffer.wrap(record.array(), 0, 28)));
        record.flip();
        out.write(record);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a log; null when there is none or it is not a log (a damaged header). A record that
   * fails its own check ends the reading (a torn append).
   */
  static Contents read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < RECORD) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[MAGIC.length];
    buffer.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC) || buffer.getInt(RECORD - 4) != crc(ByteBuffer.wrap(bytes, 0, RECORD - 4))) {
      return null;
    }
    long created = buffer.getLong(MAGIC.length);
    Map<Long, Entry> entries = new HashMap<>();
    Entry newest = null;
    for (int at = RECORD; at + RECORD <= bytes.length; at += RECORD) {
      ByteBuffer r = ByteBuffer.wrap(bytes, at, RECORD);
      if (r.getInt(at + 28) != crc(ByteBuffer.wrap(bytes, at, 28))) {
        break;
      }
      Entry entry = new Entry(r.getInt(at), r.getLong(at + 4), r.getLong(at + 12), r.getInt(at + 20), r.getInt(at + 24));
      entries.put(entry.key(), entry);
      if (newest == null || entry.version() > newest.version()) {
        newest = entry;
      }
    }
    return new Contents(created, entries, newest == null ? -1 : newest.version(), newest);
  }

  static List<Entry> sorted(Collection<Entry> entries) {
    List<Entry> list = new ArrayList<>(entries);
    list.sort(java.util.Comparator.comparingLong(Entry::version).thenComparingInt(Entry::chunkId));
    return list;
  }
}
