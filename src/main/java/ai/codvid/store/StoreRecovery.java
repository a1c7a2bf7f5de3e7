package ai.codvid.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * {@code store recover}: rebuilds a store from a damaged data file without ever writing to it.
 *
 * <p>MVStore opens the newest version whose chunks are all present (a truncated file opens at
 * the last version written before the missing part). Every document of every collection of
 * that version is read; a document in a damaged page is skipped and counted, the others are
 * inserted through mongo-java-server into a new data file (so every index is rebuilt and
 * checked), which is verified. The report says which versions and how many documents per
 * collection could not be recovered. The new file is installed as the data file and the
 * damaged one is kept under another name, or with {@code --output} written elsewhere only.
 */
final class StoreRecovery {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final String DATA_PREFIX = "databases.";

  /** Documents of one collection: recovered, and lost (unreadable or refused by an index). */
  record Collection(String name, long recovered, long lost) {
  }

  record Result(Path damaged, Path recovered, long version, long newestCommitted, List<Collection> collections, boolean installed,
      Path keptAs) {
  }

  private StoreRecovery() {
  }

  static Result recover(StoreFiles files, Path output, PrintStream out) throws IOException {
    Path damaged = files.data();
    if (StoreCli.running(files)) {
      throw new IOException(damaged + " is in use by a running node: stop it first");
    }
    if (Files.isRegularFile(damaged)) {
      try {
        StoreVerifier.verifyFile(damaged, files.sums(), null, false);
        out.println(damaged + " is sound; copying it anyway.");
      } catch (StoreDamageException e) {
        out.println("Damage: " + e.getMessage());
      }
    }
    long expected = newestCommitted(files);
    Source source = newestConsistent(files, out);
    if (source == null) {
      throw new IOException("no consistent version of the store could be found: not in " + damaged
          + " (its older versions were overwritten as the store reused their space), nor in " + files.previous()
          + " or a backup under " + files.backups());
    }
    String stamp = LocalDateTime.now().format(STAMP);
    Path target = output != null ? output.toAbsolutePath() : files.dir().resolve(StoreFiles.DATA + ".recovered-" + stamp);
    if (Files.exists(target)) {
      throw new IOException(target + " already exists");
    }
    Path targetSums = StoreFiles.sumsOf(target);
    List<Collection> collections = new ArrayList<>();
    long version;
    try (MVStore store = source.store()) {
      version = store.getCurrentVersion();
      out.println("Reading " + source.file() + " at version " + version
          + (expected > version ? " (the newest committed version was " + expected + ")" : ""));
      try (StoreEngine.Handle handle = StoreEngine.openFile(target, targetSums, StoreOptions.defaults(files.dir()))) {
        CodvidBackend backend = new CodvidBackend(handle.store, Long.MAX_VALUE);
        EmbeddedChannel channel = new EmbeddedChannel();
        Map<String, List<String>> byDatabase = collectionsOf(store);
        for (Map.Entry<String, List<String>> db : byDatabase.entrySet()) {
          MongoDatabase database = backend.resolveDatabase(db.getKey());
          createIndexes(store, db.getKey(), channel, backend);
          for (String name : db.getValue()) {
            collections.add(copy(store, db.getKey(), name, database));
          }
        }
        handle.store.commit();
      }
    } catch (RuntimeException e) {
      StoreFiles.deleteQuietly(target);
      StoreFiles.deleteQuietly(targetSums);
      throw new IOException("No consistent version could be read from " + damaged + ": " + StoreVerifier.oneLine(e.getMessage()), e);
    }
    StoreVerifier.verifyFile(target, targetSums, null, true);
    Path keptAs = null;
    boolean installed = false;
    if (output == null) {
      keptAs = files.dir().resolve(StoreFiles.DATA + ".damaged-" + stamp);
      if (Files.exists(damaged, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.move(damaged, keptAs, StandardCopyOption.ATOMIC_MOVE);
      }
      if (Files.exists(files.sums())) {
        Files.move(files.sums(), StoreFiles.sumsOf(keptAs), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(targetSums, files.sums(), StandardCopyOption.ATOMIC_MOVE);
      Files.move(target, damaged, StandardCopyOption.ATOMIC_MOVE);
      installed = true;
    }
    Result result = new Result(source.file(), installed ? damaged : target, version, Math.max(expected, version), collections,
        installed, keptAs);
    report(result, StoreCounts.read(files), out);
    return result;
  }

  /** A file and the consistent version it opened at. */
  private record Source(Path file, MVStore store) {
  }

  /**
   * The candidate with the newest consistent version: the damaged file itself, the file kept
   * from before the last start-up compaction, and the backups under {@code backups/}.
   */
  private static Source newestConsistent(StoreFiles files, PrintStream out) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(files.data());
    candidates.add(files.previous());
    try (var backups = Files.list(files.backups())) {
      backups.filter(p -> p.getFileName().toString().endsWith(".mv")).forEach(candidates::add);
    } catch (IOException ignored) {
      // no backups
    }
    // the consistent state with the highest version (versions carry over compactions and backups)
    Source best = null;
    for (Path candidate : candidates) {
      if (!Files.isRegularFile(candidate)) {
        continue;
      }
      try {
        MVStore store = openDamaged(candidate);
        out.println("Consistent version " + store.getCurrentVersion() + " in " + candidate);
        if (best == null || store.getCurrentVersion() > best.store().getCurrentVersion()) {
          if (best != null) {
            best.store().closeImmediately();
          }
          best = new Source(candidate, store);
        } else {
          store.closeImmediately();
        }
      } catch (RuntimeException e) {
        out.println("No consistent version in " + candidate + " (" + StoreVerifier.oneLine(e.getMessage()) + ")");
      }
    }
    return best;
  }

  /** The newest version ever committed to the file, as its checksum log and header remember it. */
  static long newestCommitted(StoreFiles files) {
    long newest = -1;
    try {
      ChunkLog.Contents log = ChunkLog.read(files.sums());
      if (log != null) {
        newest = log.newestVersion();
      }
    } catch (IOException ignored) {
      // no log
    }
    return newest;
  }

  private static MVStore openDamaged(Path file) {
    try {
      return new MVStore.Builder().fileName(file.toString()).readOnly().autoCommitDisabled().open();
    } catch (MVStoreException e) {
      if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
        throw new IllegalStateException("the file is in use: stop the node first");
      }
      return new MVStore.Builder().fileName(file.toString()).readOnly().autoCommitDisabled().recoveryMode().open();
    }
  }

  /** Collections per database, from the names of the data maps ({@code databases.<db>.<collection>}). */
  private static Map<String, List<String>> collectionsOf(MVStore source) {
    Map<String, List<String>> result = new TreeMap<>();
    for (String map : source.getMapNames()) {
      if (!map.startsWith(DATA_PREFIX) || map.contains("._index_")) {
        continue;
      }
      String full = map.substring(DATA_PREFIX.length());
      int dot = full.indexOf('.');
      String db = full.substring(0, dot);
      String collection = full.substring(dot + 1);
      if (!collection.startsWith("system.")) {
        result.computeIfAbsent(db, k -> new ArrayList<>()).add(collection);
      }
    }
    return result;
  }

  /** Re-creates the indexes the damaged store had (unique ones refuse duplicates while copying). */
  private static void createIndexes(MVStore source, String db, EmbeddedChannel channel, CodvidBackend backend) {
    String name = DATA_PREFIX + db + ".system.indexes";
    if (!source.hasMap(name)) {
      return;
    }
    MVMap<Object, Object> indexes = source.openMap(name);
    for (Object value : readable(indexes, new long[1])) {
      if (value instanceof Document description && !"_id_".equals(description.get("name"))) {
        String ns = String.valueOf(description.get("ns"));
        String collection = ns.substring(ns.indexOf('.') + 1);
        Document index = new Document("key", description.get("key")).append("name", description.get("name"));
        if (Boolean.TRUE.equals(description.get("unique"))) {
          index.append("unique", true);
        }
        backend.handleCommand(channel, db, "createIndexes",
            new Document("createIndexes", collection).append("indexes", List.of(index)));
      }
    }
  }

  private static Collection copy(MVStore source, String db, String name, MongoDatabase database) {
    MVMap<Object, Object> map = source.openMap(DATA_PREFIX + db + "." + name);
    long[] lost = new long[1];
    List<Object> documents = readable(map, lost);
    MongoCollection<?> collection = database.resolveCollection(name, false);
    if (collection == null) {
      collection = database.createCollectionOrThrowIfExists(name);
    }
    long recovered = 0;
    for (Object value : documents) {
      try {
        collection.addDocument((Document) value);
        recovered++;
      } catch (RuntimeException e) {
        lost[0]++;
      }
    }
    return new Collection(name, recovered, lost[0]);
  }

  /**
   * Every value that can be read: a plain pass first; if a page fails, entry by entry by
   * position, skipping (and counting in {@code lost}) the ones whose page is damaged.
   */
  private static List<Object> readable(MVMap<Object, Object> map, long[] lost) {
    List<Object> values = new ArrayList<>();
    try {
      for (Map.Entry<Object, Object> entry : map.entrySet()) {
        values.add(entry.getValue());
      }
      return values;
    } catch (RuntimeException first) {
      values.clear();
    }
    long size;
    try {
      size = map.sizeAsLong();
    } catch (RuntimeException e) {
      lost[0]++;
      return values;
    }
    for (long i = 0; i < size; i++) {
      try {
        Object key = map.getKey(i);
        Object value = key == null ? null : map.get(key);
        if (value == null) {
          lost[0]++;
        } else {
          values.add(value);
        }
      } catch (RuntimeException e) {
        lost[0]++;
      }
    }
    return values;
  }

  private static void report(Result result, StoreCounts.Counts before, PrintStream out) {
    out.println();
    if (before != null) {
      out.println("Last known counts (version " + before.version() + ", " + before.at() + "): " + before.collections());
    }
    if (result.newestCommitted() > result.version()) {
      out.println("NOT RECOVERED: versions " + (result.version() + 1) + " to " + result.newestCommitted()
          + " were committed but are not in the file any more (its end is missing or damaged); changes made in them are lost.");
    } else {
      out.println("The newest committed version (" + result.version() + ") is in the file.");
    }
    long lost = 0;
    for (Collection c : result.collections()) {
      Long known = before == null ? null : before.collections().get(c.name());
      long missing = known == null ? 0 : Math.max(0, known - c.recovered() - c.lost());
      out.println(String.format(java.util.Locale.ROOT, "  %-16s %8d documents recovered%s%s", c.name(), c.recovered(),
          c.lost() > 0 ? ", " + c.lost() + " NOT RECOVERED (unreadable or conflicting)" : "",
          missing > 0 ? ", " + missing + " fewer than the last known count (" + known + ")" : ""));
      lost += c.lost() + missing;
    }
    if (lost == 0 && result.newestCommitted() <= result.version()) {
      out.println("Everything in the file was recovered.");
    }
    if (result.installed()) {
      out.println("The recovered store is now " + result.recovered() + "; the damaged file is kept unchanged as " + result.keptAs() + ".");
    } else {
      out.println("The recovered store was written to " + result.recovered() + " (not installed); the damaged file "
          + result.damaged() + " is unchanged.");
    }
  }
}
