package ai.codvid.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.h2.mvstore.MVStore;

/**
 * How many documents each collection held at a recent version ({@code codvid.mv.counts}),
 * written at every clean stop and about once a minute while writes happen, so a recovery can
 * say how many documents it could not bring back.
 */
final class StoreCounts {

  record Counts(long version, String at, Map<String, Long> collections) {
  }

  private StoreCounts() {
  }

  static Path file(StoreFiles files) {
    return files.dir().resolve(StoreFiles.DATA + ".counts");
  }

  /** Counts of the collections (data maps {@code databases.<db>.<collection>}) of an open store. */
  static Counts of(MVStore store) {
    Map<String, Long> collections = new TreeMap<>();
    for (String name : store.getMapNames()) {
      if (name.startsWith("databases.") && !name.contains("._index_")) {
        String collection = name.substring(name.indexOf('.', "databases.".length()) + 1);
        if (!collection.startsWith("system.")) {
          collections.merge(collection, store.openMap(name).sizeAsLong(), Long::sum);
        }
      }
    }
    return new Counts(store.getCurrentVersion(), Instant.now().toString(), collections);
  }

  static void write(StoreFiles files, Counts counts) throws IOException {
    JsonObject collections = new JsonObject();
    counts.collections().forEach(collections::put);
    StoreFiles.writeOwnerOnly(file(files), new JsonObject().put("version", counts.version()).put("at", counts.at())
        .put("collections", collections).encode());
  }

  static Counts read(StoreFiles files) {
    try {
      JsonObject json = new JsonObject(Files.readString(file(files)));
      Map<String, Long> collections = new TreeMap<>();
      json.getJsonObject("collections", new JsonObject()).forEach(e -> collections.put(e.getKey(), ((Number) e.getValue()).longValue()));
      return new Counts(json.getLong("version", -1L), json.getString("at"), collections);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
