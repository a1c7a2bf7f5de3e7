package ai.codvid.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.DataUtils;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code codvidsum:/path}) that passes everything to the real file and hands
 * the checksum of every chunk it writes to the {@link ChunkLog} registered for that file.
 *
 * <p>MVStore writes a chunk with one positional write of whole blocks that starts with its
 * header ({@code chunk:<id>,...,version:<v>,...}); the store header (block 0) and everything
 * else are passed through unchanged. A moved chunk is written again with the same bytes and is
 * recorded again at its new position.
 *
 * <p>Public with a public constructor only because H2 creates path objects by reflection.
 */
public final class ChecksumFilePath extends FilePathWrapper {

  static final String SCHEME = "codvidsum";
  private static final ChecksumFilePath INSTANCE = new ChecksumFilePath();
  private static final Map<String, ChunkLog> LOGS = new ConcurrentHashMap<>();
  private static final byte[] CHUNK_PREFIX = "chunk:".getBytes(StandardCharsets.ISO_8859_1);

  static {
    FilePath.register(INSTANCE);
  }

  /** The MVStore file name of {@code file} on this file system. */
  static String name(java.nio.file.Path file) {
    return SCHEME + ":" + file.toAbsolutePath();
  }

  /** From now on every chunk written to {@code file} is appended to {@code log}. */
  static void register(java.nio.file.Path file, ChunkLog log) {
    LOGS.put(file.toAbsolutePath().toString(), log);
  }

  static void unregister(java.nio.file.Path file) {
    LOGS.remove(file.toAbsolutePath().toString());
  }

  public ChecksumFilePath() {
    // H2 instantiates wrappers reflectively
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new Channel(getBase().open(mode), getBase().toString());
  }

  private static final class Channel extends FileBase {
    private final FileChannel base;
    private final String path;

    Channel(FileChannel base, String path) {
      this.base = base;
      this.path = path;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      ChunkLog.Entry entry = entryOf(src, position);
      int length = src.remaining();
      while (src.hasRemaining()) {
        base.write(src, position + (length - src.remaining()));
      }
      if (entry != null) {
        ChunkLog log = LOGS.get(path);
        if (log != null) {
          log.append(entry);
        }
      }
      return length;
    }

    private static ChunkLog.Entry entryOf(ByteBuffer src, long position) {
      if (position < 2L * 4096 || position % 4096 != 0 || src.remaining() % 4096 != 0 || src.remaining() < CHUNK_PREFIX.length) {
        return null;
      }
      for (int i = 0; i < CHUNK_PREFIX.length; i++) {
        if (src.get(src.position() + i) != CHUNK_PREFIX[i]) {
          return null;
        }
      }
      int end = src.position();
      int limit = Math.min(src.limit(), src.position() + 1024);
      while (end < limit && src.get(end) != '\n') {
        end++;
      }
      byte[] header = new byte[end - src.position()];
      src.duplicate().get(header);
      Map<String, String> fields = DataUtils.parseMap(new String(header, StandardCharsets.ISO_8859_1).trim());
      int id = (int) DataUtils.readHexLong(fields, "chunk", 0);
      long version = DataUtils.readHexLong(fields, "version", 0);
      return new ChunkLog.Entry(id, version, position / 4096, src.remaining(), ChunkLog.crc(src));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return base.write(src);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return base.read(dst);
    }

    @Override
    public long position() throws IOException {
      return base.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      base.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return base.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      base.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      base.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      base.close();
    }

    @Override
    public String toString() {
      return SCHEME + ":" + path;
    }
  }
}
