package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The store engine: group commit and a bounded data file")
class StoreEngineTest {

  private Vertx vertx;
  private EmbeddedMongo store;
  private MongoClient mongo;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = EmbeddedMongo.start(new StoreOptions(TestNode.tempDir(), 0, null, StoreOptions.DEFAULT_MAX_DOCUMENT_BYTES, 0, 2.0, 200,
        200, 1_000, false, true, 16));
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", store.connectionString()).put("db_name", "codvid"));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    store.shutdown();
  }

  @Test
  @DisplayName("64 writes sent together are made durable by fewer than 64 commits")
  void groupCommit() throws Exception {
    await(mongo.insert("warm", new JsonObject().put("_id", "w")));
    long before = store.status().version();
    List<Future<String>> writes = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      writes.add(mongo.insert("together", new JsonObject().put("_id", "t" + i)));
    }
    await(Future.all(writes));
    long commits = store.status().version() - before;
    assertTrue(commits >= 1 && commits < 64, commits + " commits for 64 writes");
  }

  @Test
  @DisplayName("400 appends of 10,000 characters to 10 documents leave a file within 3x the BSON size of the live documents")
  void boundedFile() throws Exception {
    Random random = new Random(1);
    for (int d = 0; d < 10; d++) {
      await(mongo.insert("chats", new JsonObject().put("_id", "chat-" + d).put("chats", new JsonArray())));
    }
    for (int i = 0; i < 400; i++) {
      byte[] text = new byte[7_500];
      random.nextBytes(text);
      await(mongo.updateCollection("chats", new JsonObject().put("_id", "chat-" + (i % 10)), new JsonObject().put("$push",
          new JsonObject().put("chats", java.util.Base64.getEncoder().encodeToString(text)))));
    }
    Thread.sleep(1_000);
    long live = await(mongo.runCommand("collStats", new JsonObject().put("collStats", "chats"))).getLong("size");
    long file = Files.size(store.dataFile());
    assertTrue(file <= 3 * live, "file " + file + " bytes, live " + live + " bytes");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
