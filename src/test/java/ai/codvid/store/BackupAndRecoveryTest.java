package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.support.StoreFixtures;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Backups of a running store, restore, and recovery of a damaged file with the jar's store commands")
class BackupAndRecoveryTest {

  @Test
  @DisplayName("store backup copies a running store while writers run; store restore puts it back; every write acknowledged before the backup is in it")
  void onlineBackupAndRestore() throws Exception {
    Path dir = TestNode.tempDir();
    StoreFixtures.seed(dir, 100);
    EmbeddedMongo store = EmbeddedMongo.start(dir, 0);
    Vertx vertx = Vertx.vertx();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger acknowledged = new AtomicInteger();
    Path backup = dir.resolve("backups/online.mv");
    StoreFixtures.Run run;
    int acknowledgedBefore;
    try {
      MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", store.connectionString()).put("db_name", "codvid"));
      List<Future<Void>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(write(mongo, "w" + w, 0, writing, acknowledged));
      }
      Thread.sleep(300);
      acknowledgedBefore = acknowledged.get();
      run = StoreFixtures.main(Map.of("CODVID_DATA_DIR", dir.toString()), List.of(), 120, "store", "backup", "--out", backup.toString());
      writing.set(false);
      Future.all(writers).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      store.shutdown();
    }
    assertEquals(0, run.exitCode(), run.stdout() + " " + run.stderr());
    assertTrue(String.join("\n", run.stdout()).contains("written by the running node"), run.stdout().toString());
    assertTrue(Files.isRegularFile(backup));

    Path restored = TestNode.tempDir();
    StoreFixtures.Run restore = StoreFixtures.main(Map.of(), List.of(), 120, "store", "restore", "--data-dir", restored.toString(),
        "--from", backup.toString());
    assertEquals(0, restore.exitCode(), restore.stdout() + " " + restore.stderr());
    EmbeddedMongo fromBackup = EmbeddedMongo.start(restored, 0);
    try {
      long count = StoreFixtures.count(fromBackup.connectionString());
      assertTrue(count >= 100 + acknowledgedBefore, count + " documents, " + acknowledgedBefore + " acknowledged before the backup");
    } finally {
      fromBackup.shutdown();
    }
  }

  private static Future<Void> write(MongoClient mongo, String writer, int i, AtomicBoolean writing, AtomicInteger acknowledged) {
    if (!writing.get()) {
      return Future.succeededFuture();
    }
    return mongo.insert("projects", new JsonObject().put("_id", writer + "-" + i).put("user_id", writer).put("n", i))
        .compose(id -> {
          acknowledged.incrementAndGet();
          return write(mongo, writer, i + 1, writing, acknowledged);
        });
  }

  @Test
  @DisplayName("store recover on a file cut to 50 %: the newest consistent state comes back, the loss is reported, the damaged file is kept byte-identical")
  void recoverTruncated() throws Exception {
    Path dir = TestNode.tempDir();
    StoreFixtures.seed(dir, 200);
    EmbeddedMongo restart = EmbeddedMongo.start(dir, 0);
    try {
      Vertx vertx = Vertx.vertx();
      MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", restart.connectionString()).put("db_name", "codvid"));
      for (int i = 0; i < 50; i++) {
        mongo.insert("projects", new JsonObject().put("_id", "late" + i).put("user_id", "late")).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      restart.shutdown();
    }
    Path data = dir.resolve("codvid.mv");
    try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    String damaged = StoreFixtures.sha256(data);

    StoreFixtures.Run run = StoreFixtures.main(Map.of(), List.of(), 120, "store", "recover", "--data-dir", dir.toString());

    String report = String.join("\n", run.stdout());
    assertEquals(0, run.exitCode(), report + run.stderr());
    assertTrue(report.contains("NOT RECOVERED"), report);
    assertTrue(report.contains("projects"), report);
    Path kept;
    try (Stream<Path> files = Files.list(dir)) {
      kept = files.filter(p -> p.getFileName().toString().matches("codvid\\.mv\\.damaged-[0-9-]+")).findFirst().orElseThrow();
    }
    assertEquals(damaged, StoreFixtures.sha256(kept), "the damaged original is kept byte-identical");
    EmbeddedMongo recovered = EmbeddedMongo.start(dir, 0);
    try {
      long count = StoreFixtures.count(recovered.connectionString());
      assertTrue(count >= 200, "at least the state of the last start is back: " + count);
    } finally {
      recovered.shutdown();
    }
    assertFalse(report.contains("Everything in the file was recovered"), report);
  }
}
