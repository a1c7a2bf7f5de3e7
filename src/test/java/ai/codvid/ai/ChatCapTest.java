package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.ai.ChatFixture.RuleClient;
import ai.codvid.ai.ChatFixture.Turn;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The cap on a project's stored chat (chat.max_messages, chat.max_chars, chat.when_full)")
class ChatCapTest {

  private static final String PROJECT = "long-past";

  private static Future<ChatFixture> node(Vertx vertx, JsonObject chat) {
    return ChatFixture.start(vertx, true, c -> c.put("chat", chat));
  }

  private static List<JsonArray> chunks(Turn t) {
    return t.streamed().lines().stream().filter(l -> l.getBoolean("result", false))
        .map(l -> l.getJsonObject("response").getJsonArray("data_mods")).toList();
  }

  private static JsonObject delOldest() {
    return DataMods.del(DataMods.projectPath(PROJECT, "chats", 0));
  }

  /** Asks the texts one after the other, checking after each answer that the client is in sync without a reload. */
  private static Future<List<Turn>> conversation(RuleClient client, List<String> texts) {
    List<Turn> turns = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String text : texts) {
      chain = chain.compose(v -> client.ask(PROJECT, ChatFixture.message(text))).map(t -> {
        t.assertInSync();
        turns.add(t);
        return null;
      });
    }
    return chain.map(v -> turns);
  }

  @Test
  @DisplayName("over chat.max_messages the oldest messages are removed by del mods leading the answer's first chunk (one step); the client keeps chatting and stays equal to the server without a reload")
  void trimsOldestMessages(Vertx vertx, VertxTestContext ctx) {
    node(vertx, new JsonObject().put("max_messages", 6)).compose(fx -> fx.userWithProject("trim@example.com", PROJECT)
            .compose(token -> conversation(fx.new RuleClient(token), List.of("one", "two", "three", "four", "five", "six")))
            .compose(turns -> fx.close().map(turns)))
        .onComplete(ctx.succeeding(turns -> ctx.verify(() -> {
          for (Turn t : turns) {
            JsonArray stored = t.server().getJsonArray("chats");
            assertTrue(stored.size() <= 6 + 2, "at most the cap plus the answer's own loading event and text: " + stored.size());
          }
          assertEquals(List.of(), chunks(turns.get(1)).get(0).stream().filter(m -> "del".equals(((JsonObject) m).getString("mode"))).toList(),
              "under the cap nothing is removed");
          JsonArray first = chunks(turns.get(2)).get(0);
          assertEquals(delOldest(), first.getJsonObject(0), "7 messages, at most 6: one goes");
          assertEquals(2, first.size(), "the del and the loading event travel in one chunk");
          assertEquals("loading", first.getJsonObject(1).getJsonObject("value").getString("event_type"));
          JsonArray fourth = chunks(turns.get(3)).get(0);
          assertEquals(4, fourth.size(), "9 messages (the last answer's own two on top of the cap), at most 6: three go");
          for (int i = 0; i < 3; i++) {
            assertEquals(delOldest(), fourth.getJsonObject(i));
          }
          Turn third = turns.get(2);
          assertEquals(third.before().getLong("mod_count") + 1 + chunks(third).size(), third.serverModCount(),
              "the user's message and one step per chunk, the chunk of dels included");
          Turn last = turns.get(5);
          JsonArray chats = last.server().getJsonArray("chats");
          assertEquals("six", chats.getJsonObject(chats.size() - 3).getString("text"), "the newest history is kept");
          assertFalse(chats.stream().anyMatch(m -> "one".equals(((JsonObject) m).getString("text"))), "the oldest is gone");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("chat.max_chars counts the JSON text of every message: long messages push the oldest out while the message count is far below its cap")
  void trimsByCharacters(Vertx vertx, VertxTestContext ctx) {
    String a = "a".repeat(9_000);
    String b = "b".repeat(9_000);
    String c = "c".repeat(9_000);
    node(vertx, new JsonObject().put("max_chars", 25_000)).compose(fx -> fx.userWithProject("chars@example.com", PROJECT)
            .compose(token -> conversation(fx.new RuleClient(token), List.of(a, b, c)))
            .compose(turns -> fx.close().map(turns)))
        .onComplete(ctx.succeeding(turns -> ctx.verify(() -> {
          JsonArray first = chunks(turns.get(2)).get(0);
          assertEquals(2, first.size());
          assertEquals(delOldest(), first.getJsonObject(0));
          JsonArray chats = turns.get(2).server().getJsonArray("chats");
          assertFalse(chats.stream().anyMatch(m -> a.equals(((JsonObject) m).getString("text"))));
          assertTrue(chats.stream().anyMatch(m -> c.equals(((JsonObject) m).getString("text"))));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the test stream and an answer without a new message (\"/r\") trim the same way and stay in sync")
  void trimsForTestStreamAndAnswerAgain(Vertx vertx, VertxTestContext ctx) {
    node(vertx, new JsonObject().put("max_messages", 2)).compose(fx -> fx.userWithProject("again@example.com", PROJECT)
            .compose(token -> {
              RuleClient client = fx.new RuleClient(token);
              return conversation(client, List.of("hello")).compose(first -> client.ask(PROJECT, ChatFixture.message("")))
                  .compose(again -> client.load(PROJECT).compose(before -> client.streamAndApply("/codvid-ai/ai/respond-stream-test",
                          new JsonObject().put("project_name", PROJECT), l -> false).compose(s -> client.turn(PROJECT, before, s)))
                      .map(test -> List.of(again, test)));
            })
            .compose(turns -> fx.close().map(turns)))
        .onComplete(ctx.succeeding(turns -> ctx.verify(() -> {
          for (Turn t : turns) {
            t.assertInSync();
            assertEquals(delOldest(), chunks(t).get(0).getJsonObject(0), "the first chunk starts with a del");
          }
          assertEquals(ChatService.TEST_TEXT, turns.get(1).last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("with chat.when_full = refuse a full chat answers 409 before anything streams and keeps its whole history; the client's mod_count then differs and one reload makes it equal")
  void refusesWhenFullAndConfiguredSo(Vertx vertx, VertxTestContext ctx) {
    node(vertx, new JsonObject().put("max_messages", 4).put("when_full", "refuse")).compose(fx -> fx.userWithProject("refuse@example.com", PROJECT)
            .compose(token -> {
              RuleClient client = fx.new RuleClient(token);
              return conversation(client, List.of("one", "two"))
                  .compose(kept -> client.ask(PROJECT, ChatFixture.message("three")).compose(refused -> {
                    ctx.verify(() -> {
                      assertEquals(409, refused.streamed().status());
                      assertEquals(fx.app.services().chat.fullMessage(), refused.streamed().lines().get(0).getString("message"));
                      assertTrue(refused.streamed().lines().get(0).getString("message").startsWith("The chat of this project is full (at most 4 messages"));
                      assertEquals(kept.get(1).server(), refused.server(), "nothing stored, nothing removed");
                      assertEquals(refused.serverModCount() + 1, refused.client().getLong("mod_count"), "the client counted its own message");
                    });
                    return client.load(PROJECT).compose(reloaded -> client.ask(PROJECT, ChatFixture.message("")));
                  }))
                  .compose(again -> fx.close().map(again));
            }))
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertEquals(409, again.streamed().status(), "an answer without a new message does not fit either");
          again.assertInSync();
          assertEquals(6, again.server().getJsonArray("chats").size());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the cap's settings come from chat.* keys and CODVID_CHAT_* variables, with defaults, and nonsense is refused at start")
  void settings() {
    ChatOptions defaults = ChatOptions.from(AppConfig.of(new JsonObject()));
    assertEquals(ChatOptions.defaults(), defaults);
    assertEquals(500, defaults.maxMessages());
    assertEquals(500_000, defaults.maxChars());
    assertEquals(ChatOptions.WhenFull.TRIM_OLDEST, defaults.whenFull());
    ChatOptions fromEnv = ChatOptions.from(AppConfig.of(new JsonObject().put("CODVID_CHAT_MAX_MESSAGES", "40")
        .put("CODVID_CHAT_WHEN_FULL", "refuse").put("CODVID_CHAT_TEXT_EDIT_INTERVAL_MS", "0")));
    assertEquals(40, fromEnv.maxMessages());
    assertEquals(ChatOptions.WhenFull.REFUSE, fromEnv.whenFull());
    assertEquals(0, fromEnv.textEditIntervalMillis());
    assertThrows(IllegalArgumentException.class, () -> ChatOptions.from(AppConfig.of(new JsonObject().put("chat", new JsonObject().put("max_messages", 1)))));
    assertThrows(IllegalArgumentException.class, () -> ChatOptions.from(AppConfig.of(new JsonObject().put("chat", new JsonObject().put("max_chars", 1000)))));
    assertThrows(IllegalArgumentException.class, () -> ChatOptions.from(AppConfig.of(new JsonObject().put("chat", new JsonObject().put("when_full", "drop")))));
    assertThrows(IllegalArgumentException.class, () -> ChatOptions.from(AppConfig.of(new JsonObject().put("chat", new JsonObject().put("text_edit_interval_ms", -1)))));

    JsonObject small = new JsonObject().put("text", "x");
    List<JsonObject> chat = List.of(small, small, small, small);
    assertEquals(0, new ChatOptions(4, 25_000, ChatOptions.WhenFull.TRIM_OLDEST, 0).overflow(chat));
    assertEquals(2, new ChatOptions(2, 25_000, ChatOptions.WhenFull.TRIM_OLDEST, 0).overflow(chat));
    JsonObject huge = new JsonObject().put("text", "y".repeat(30_000));
    assertEquals(1, new ChatOptions(10, 25_000, ChatOptions.WhenFull.TRIM_OLDEST, 0).overflow(List.of(small, huge)),
        "the newest message is never counted out, even when it alone is over");
  }
}
