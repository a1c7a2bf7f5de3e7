package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.ai.ChatFixture.RuleClient;
import ai.codvid.ai.ChatFixture.Streamed;
import ai.codvid.ai.ChatFixture.Turn;
import ai.codvid.fakes.FakeLlm;
import ai.codvid.fakes.FakeLlm.Script;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("AI chat with an OpenAI-compatible provider (a fake one on loopback), read by a client that follows the original data_mods rules")
class ChatApiTest {

  private static final String PROJECT = "launch";
  private ChatFixture fx;
  private FakeLlm fake;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    ChatFixture.start(vertx, true, c -> c).onComplete(ctx.succeeding(f -> {
      fx = f;
      fake = f.fake;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    fx.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<RuleClient> client(String email) {
    return fx.userWithProject(email, PROJECT).map(token -> fx.new RuleClient(token));
  }

  private static List<JsonObject> mods(Streamed s) {
    return s.mods().stream().map(JsonObject.class::cast).toList();
  }

  private static List<JsonArray> chunks(Streamed s) {
    return s.lines().stream().filter(l -> l.getBoolean("result", false))
        .map(l -> l.getJsonObject("response").getJsonArray("data_mods")).toList();
  }

  /** Every mod lies under ["projects", PROJECT, "chats"], and append is only ever used for whole items of that list. */
  private static void assertWellFormed(Streamed s) {
    for (JsonObject mod : mods(s)) {
      JsonArray path = mod.getJsonArray("key_path");
      assertEquals(List.of("projects", PROJECT, "chats"), path.getList().subList(0, 3), mod.encode());
      if ("append".equals(mod.getString("mode"))) {
        assertEquals(3, path.size(), "append only for whole list items: " + mod.encode());
        assertTrue(mod.getValue("value") instanceof JsonObject, mod.encode());
      }
    }
  }

  @Test
  @DisplayName("a plain answer: the user's message is stored but not sent back; a loading event, then the assistant message appended with its first piece and edited with the text so far; the client ends equal to get-project-data without a reload")
  void plainAnswer(VertxTestContext ctx) {
    fake.enqueue(Script.text("Hello", ", ", "world", "! ✨").delay(150));
    client("stream@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("Hi there, how are my reels? 🎬")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          Streamed s = t.streamed();
          assertEquals(200, s.status());
          assertEquals("application/x-ndjson; charset=utf-8", s.contentType());
          assertTrue(s.lines().stream().allMatch(l -> l.getBoolean("result")), s.raw());
          assertWellFormed(s);
          assertFalse(s.raw().contains("Hi there, how are my reels?"), "the user's message is never echoed");

          List<JsonArray> chunks = chunks(s);
          assertTrue(chunks.stream().allMatch(c -> c.size() == 1), "one mod per chunk here");
          assertEquals("loading", chunks.get(0).getJsonObject(0).getJsonObject("value").getString("event_type"));
          JsonObject firstText = chunks.get(1).getJsonObject(0);
          assertEquals("append", firstText.getString("mode"));
          assertEquals("assistant", firstText.getJsonObject("value").getString("role"));
          List<String> texts = new java.util.ArrayList<>(List.of(firstText.getJsonObject("value").getString("text")));
          assertTrue(texts.get(0).startsWith("Hello"), "appended with its first piece (and what arrived while storing), not empty");
          chunks.subList(2, chunks.size()).stream().map(c -> c.getJsonObject(0)).forEach(m -> {
            assertEquals("edit", m.getString("mode"));
            assertEquals(List.of("projects", PROJECT, "chats", 2, "text"), m.getJsonArray("key_path").getList());
            texts.add(m.getString("value"));
          });
          for (int i = 1; i < texts.size(); i++) {
            assertTrue(texts.get(i).startsWith(texts.get(i - 1)) && texts.get(i).length() > texts.get(i - 1).length(),
                "each edit carries the whole text so far: " + texts);
          }
          assertEquals("Hello, world! ✨", texts.get(texts.size() - 1));

          t.assertInSync();
          assertEquals(t.before().getLong("mod_count") + 1 + chunks.size(), t.serverModCount(), "the stored user message and one step per chunk");
          JsonArray chats = t.server().getJsonArray("chats");
          assertEquals(List.of("user", "assistant", "assistant"), chats.stream().map(m -> ((JsonObject) m).getString("role")).toList());
          assertEquals("Hi there, how are my reels? 🎬", chats.getJsonObject(0).getString("text"));
          assertNotNull(chats.getJsonObject(0).getString("message_id"));
          assertEquals("Hello, world! ✨", t.last("assistant", "text").getString("text"));

          JsonObject request = fake.requests().get(0);
          assertEquals(FakeLlm.MODEL, request.getString("model"));
          assertTrue(request.getBoolean("stream"));
          assertEquals(5, request.getJsonArray("tools").size());
          JsonArray messages = request.getJsonArray("messages");
          assertEquals("system", messages.getJsonObject(0).getString("role"));
          assertTrue(messages.getJsonObject(0).getString("content").contains("launch"));
          assertEquals("Hi there, how are my reels? 🎬", messages.getJsonObject(messages.size() - 1).getString("content"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a fast stream is sent as few edits (at most one per chat.text_edit_interval_ms), each with the whole text so far")
  void fastTextIsCoalesced(VertxTestContext ctx) {
    String[] pieces = new String[40];
    for (int i = 0; i < pieces.length; i++) {
      pieces[i] = "w" + i + " ";
    }
    fake.enqueue(Script.text(pieces).delay(10));
    client("fast@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("go")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          t.assertInSync();
          long edits = mods(t.streamed()).stream().filter(m -> "edit".equals(m.getString("mode"))).count();
          assertTrue(edits >= 1 && edits <= 10, "40 pieces in ~400 ms with a 100 ms interval gave " + edits + " edits");
          assertEquals(String.join("", pieces), t.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a project name sent with surrounding spaces finds the project, and the mods' paths use the name as the client sent it (its user_data key)")
  void nameAsSent(VertxTestContext ctx) {
    fake.enqueue(Script.text("Spaced."));
    client("spaced@example.com").compose(c -> c.ask(" " + PROJECT + " ", ChatFixture.message("hi")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertEquals(200, t.streamed().status());
          assertTrue(mods(t.streamed()).stream().allMatch(m -> (" " + PROJECT + " ").equals(m.getJsonArray("key_path").getValue(1))));
          t.assertInSync();
          assertEquals("Spaced.", t.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("earlier user and assistant messages are sent to the model as history, events and tool messages are not; two answers in a row stay in sync")
  void history(VertxTestContext ctx) {
    fake.enqueue(Script.text("First answer."), Script.text("Second answer."));
    client("history@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("first question"))
            .compose(first -> {
              first.assertInSync();
              return c.ask(PROJECT, ChatFixture.message("second question"));
            }))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          t.assertInSync();
          JsonArray messages = fake.requests().get(1).getJsonArray("messages");
          assertEquals(List.of("system", "user", "assistant", "user"),
              messages.stream().map(m -> ((JsonObject) m).getString("role")).toList());
          assertEquals("First answer.", messages.getJsonObject(2).getString("content"));
          assertEquals("second question", messages.getJsonObject(3).getString("content"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a tool round: the call is appended as a whole tool message and its result set by an edit; the result goes back to the model; the client stays in sync")
  void toolRound(VertxTestContext ctx) {
    fake.enqueue(Script.toolCalls("call_abc", ChatTools.LIST_REEL_TASKS, "{}", "call_def", ChatTools.PROFILE_SUMMARY, "{\"profile\":\"nobody_here\"}"),
        Script.text("You have no reels yet."));
    client("tools@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("What do my reels do?")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertWellFormed(t.streamed());
          t.assertInSync();
          List<JsonObject> toolMessages = t.newChats().stream().map(JsonObject.class::cast)
              .filter(m -> "tool".equals(m.getString("role"))).toList();
          assertEquals(2, toolMessages.size());
          JsonObject reels = toolMessages.get(0);
          assertEquals("tool_calling", reels.getString("event_type"));
          assertEquals(ChatTools.LIST_REEL_TASKS, reels.getString("name"));
          assertEquals("call_abc", reels.getString("tool_call_id"));
          assertEquals(0, reels.getJsonObject("result").getInteger("total_reels"));
          assertEquals("@nobody_here is not a tracked profile", toolMessages.get(1).getJsonObject("result").getString("error"));
          List<JsonObject> resultEdits = mods(t.streamed()).stream()
              .filter(m -> "edit".equals(m.getString("mode")) && "result".equals(m.getJsonArray("key_path").getValue(4))).toList();
          assertEquals(2, resultEdits.size());

          assertEquals(2, fake.requests().size());
          JsonArray second = fake.requests().get(1).getJsonArray("messages");
          JsonObject assistant = second.getJsonObject(second.size() - 3);
          assertEquals("assistant", assistant.getString("role"));
          assertEquals("call_abc", assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id"));
          assertEquals(ChatTools.PROFILE_SUMMARY, assistant.getJsonArray("tool_calls").getJsonObject(1).getJsonObject("function").getString("name"));
          assertEquals("{\"profile\":\"nobody_here\"}", assistant.getJsonArray("tool_calls").getJsonObject(1).getJsonObject("function").getString("arguments"));
          JsonObject toolResult = second.getJsonObject(second.size() - 2);
          assertEquals("tool", toolResult.getString("role"));
          assertEquals("call_abc", toolResult.getString("tool_call_id"));
          assertEquals(0, new JsonObject(toolResult.getString("content")).getInteger("total_reels"));
          assertEquals("You have no reels yet.", t.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("after the cap on tool rounds an info event is recorded and the model is asked to answer without tools")
  void toolRoundCap(VertxTestContext ctx) {
    fake.enqueue(Script.toolCalls("c1", ChatTools.LIST_REEL_TASKS, "{}"), Script.toolCalls("c2", ChatTools.LIST_PROFILES, "{}"),
        Script.text("Done with what I have."));
    client("cap@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("Dig deep")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          t.assertInSync();
          assertEquals(3, fake.requests().size());
          assertEquals("auto", fake.requests().get(1).getString("tool_choice"));
          assertEquals("none", fake.requests().get(2).getString("tool_choice"));
          JsonObject info = t.last("assistant", "event");
          assertEquals("info", info.getString("event_type"));
          assertTrue(info.getString("text").contains("limit of 2 tool rounds"), info.encode());
          assertEquals("Done with what I have.", t.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a 429 (and a 500) before the first token are retried, and the answer then streams normally")
  void retriesBeforeFirstToken(VertxTestContext ctx) {
    fake.enqueue(Script.rateLimited(0), Script.status(500, "server_error"), Script.text("Recovered."));
    client("retry@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("hello")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertEquals(3, fake.requests().size());
          assertTrue(t.streamed().lines().stream().allMatch(l -> l.getBoolean("result")));
          t.assertInSync();
          assertEquals("Recovered.", t.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("when every attempt fails the stream ends with a short result:false line (no provider text, no key) after an error event the client applies")
  void providerDown(VertxTestContext ctx) {
    fake.enqueue(Script.status(503, "server_error"), Script.status(503, "server_error"), Script.status(503, "server_error"));
    client("down@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("hello")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertEquals(3, fake.requests().size());
          JsonObject last = t.streamed().last();
          assertFalse(last.getBoolean("result"));
          assertTrue(last.getString("message").contains("HTTP 503"), last.encode());
          assertFalse(t.streamed().raw().contains("secret"));
          assertFalse(t.streamed().raw().contains(FakeLlm.KEY));
          t.assertInSync();
          assertEquals("error", t.last("assistant", "event").getString("event_type"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a 401 from the provider is not retried")
  void notRetriedOnClientError(VertxTestContext ctx) {
    fake.enqueue(Script.status(401, "invalid_api_key"));
    client("badkey@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("hello")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertEquals(1, fake.requests().size());
          assertTrue(t.streamed().last().getString("message").contains("HTTP 401 invalid_api_key"));
          t.assertInSync();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a provider failure mid-stream is not retried: the partial text is kept, an error event follows, the last line is result:false, and the client is in sync")
  void midStreamFailure(VertxTestContext ctx) {
    fake.enqueue(Script.dropAfter("Partial ", "answer"));
    client("drop@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("hello")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertEquals(1, fake.requests().size());
          JsonObject last = t.streamed().last();
          assertFalse(last.getBoolean("result"));
          assertTrue(last.getString("message").contains("broke off"), last.encode());
          assertWellFormed(t.streamed());
          t.assertInSync();
          assertEquals("Partial answer", t.last("assistant", "text").getString("text"));
          assertEquals("error", t.last("assistant", "event").getString("event_type"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a client that disconnects mid-stream stops generation; the chat keeps the partial text plus an interrupted event; the client's mod_count then differs, so it reloads once; the project is free again")
  void clientDisconnects(Vertx vertx, VertxTestContext ctx) {
    fake.enqueue(Script.text("One ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight").delay(250));
    client("gone@example.com").compose(c -> c.ask(PROJECT,
            new JsonObject().put("project_name", PROJECT).put("message", ChatFixture.message("count")),
            line -> line.encode().contains("One two "))
        .compose(t -> Polling.until(vertx, 50, 5000, () -> fx.projectData(c.token, PROJECT).map(after -> {
          JsonArray chats = after.getJsonArray("chats");
          JsonObject last = chats.getJsonObject(chats.size() - 1);
          return "interrupted".equals(last.getString("event_type")) ? after : null;
        })).map(after -> new Object[] {t, after}))
        .compose(r -> Polling.until(vertx, 50, 3000, () -> Future.succeededFuture(fake.abandoned() == 1 ? r : null)))
        .compose(r -> fx.modCount(c.token, PROJECT).compose(count -> {
          Turn t = (Turn) r[0];
          JsonObject after = (JsonObject) r[1];
          ctx.verify(() -> {
            JsonArray stored = after.getJsonArray("chats");
            JsonArray held = t.client().getJsonArray("chats");
            assertEquals("interrupted", stored.getJsonObject(stored.size() - 1).getString("event_type"));
            JsonObject storedText = stored.getJsonObject(stored.size() - 2);
            assertTrue(storedText.getString("text").startsWith(held.getJsonObject(held.size() - 1).getString("text")),
                "the client holds a prefix of the kept text");
            assertTrue(storedText.getString("text").startsWith("One two "), storedText.encode());
            assertEquals(1, fake.abandoned());
            assertTrue(count > t.client().getLong("mod_count"), "mod_count differs, so the rule-following client reloads");
          });
          return c.load(PROJECT);
        }).compose(reloaded -> {
          ctx.verify(() -> {
            assertEquals(count(reloaded), c.project(PROJECT).getLong("mod_count"));
          });
          return c.ask(PROJECT, ChatFixture.message("again"));
        })))
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertEquals(200, again.streamed().status());
          assertTrue(again.streamed().last().getBoolean("result"));
          again.assertInSync();
          assertEquals(1, fake.completed(), "only the second answer's stream ran to the end");
          ctx.completeNow();
        })));
  }

  private static long count(JsonObject projectData) {
    return projectData.getLong("mod_count");
  }

  @Test
  @DisplayName("an empty text (\"/r\") answers again from the existing chat: no user message is stored, the model sees the chat, and the client stays in sync")
  void answerAgain(VertxTestContext ctx) {
    fake.enqueue(Script.text("First."), Script.text("Again."));
    client("again@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message("question"))
            .compose(first -> c.ask(PROJECT, ChatFixture.message(""))))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          t.assertInSync();
          assertEquals(0, t.newChats().stream().filter(m -> "user".equals(((JsonObject) m).getString("role"))).count());
          assertEquals(1, t.server().getJsonArray("chats").stream().filter(m -> "user".equals(((JsonObject) m).getString("role"))).count());
          assertEquals("Again.", t.last("assistant", "text").getString("text"));
          assertEquals(t.before().getLong("mod_count") + chunks(t.streamed()).size(), t.serverModCount(), "only the chunks count");
          JsonArray messages = fake.requests().get(1).getJsonArray("messages");
          assertEquals(List.of("system", "user", "assistant"), messages.stream().map(m -> ((JsonObject) m).getString("role")).toList());
          assertEquals("question", messages.getJsonObject(1).getString("content"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an empty text with a chat that holds no user message is a 400 before anything streams, and changes nothing")
  void nothingToAnswer(VertxTestContext ctx) {
    client("nothing@example.com").compose(c -> c.ask(PROJECT, ChatFixture.message(""))
            .compose(empty -> fx.stream("/codvid-ai/ai/respond-stream-test", c.token, new JsonObject().put("project_name", PROJECT), l -> false)
                .compose(test -> c.load(PROJECT))
                .compose(loaded -> c.ask(PROJECT, ""))
                .map(afterTest -> List.of(empty, afterTest))))
        .onComplete(ctx.succeeding(turns -> ctx.verify(() -> {
          for (Turn t : turns) {
            assertEquals(400, t.streamed().status());
            assertEquals(ChatService.NOTHING_TO_ANSWER, t.streamed().lines().get(0).getString("message"));
            t.assertInSync();
          }
          assertEquals(0L, turns.get(0).serverModCount());
          assertEquals(0, fake.requests().size());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("message as a plain string with stream: true is the user's text; stream: false is refused")
  void stringShape(VertxTestContext ctx) {
    fake.enqueue(Script.text("Plain ", "answer."));
    client("string@example.com").compose(c -> c.ask(PROJECT,
            new JsonObject().put("project_name", PROJECT).put("message", "Analyze my Instagram data 📊").put("stream", true), l -> false)
            .compose(t -> fx.api.post("/ai/respond", c.token,
                    new JsonObject().put("project_name", PROJECT).put("message", "again").put("stream", false))
                .map(refused -> new Object[] {t, refused})))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          Turn t = (Turn) r[0];
          assertEquals(200, t.streamed().status());
          t.assertInSync();
          JsonObject user = t.server().getJsonArray("chats").getJsonObject(0);
          assertEquals("user", user.getString("role"));
          assertEquals("text", user.getString("type"));
          assertEquals("Analyze my Instagram data 📊", user.getString("text"));
          assertEquals("Plain answer.", t.last("assistant", "text").getString("text"));
          io.vertx.ext.web.client.HttpResponse<?> refused = (io.vertx.ext.web.client.HttpResponse<?>) r[1];
          assertEquals(400, refused.statusCode());
          assertEquals("stream must be true: answers are always streamed", refused.bodyAsJsonObject().getString("message"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a second answer for the same project while one is streaming gets 409; another project of the same user is not blocked")
  void oneAnswerAtATime(VertxTestContext ctx) {
    fake.enqueue(Script.text("slow ", "answer ", "here").delay(200), Script.text("other project"));
    fx.userWithProject("busy@example.com", PROJECT).compose(token -> fx.api.post("/project/create-project", token, new JsonObject().put("project_name", "other"))
        .compose(created -> {
          io.vertx.core.Promise<Void> streaming = io.vertx.core.Promise.promise();
          Future<Streamed> first = fx.stream("/codvid-ai/ai/respond", token,
              new JsonObject().put("project_name", PROJECT).put("message", ChatFixture.message("first")), line -> {
                streaming.tryComplete();
                return false;
              });
          Future<Streamed> second = streaming.future().compose(v -> fx.stream("/codvid-ai/ai/respond", token,
              new JsonObject().put("project_name", PROJECT).put("message", ChatFixture.message("second")), l -> false));
          return Future.all(first, second).compose(all -> fx.respond(token, "other", "meanwhile")
              .map(other -> List.of(first.result(), second.result(), other)));
        }))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          Streamed second = results.get(1);
          assertEquals(409, second.status());
          assertEquals("An answer is already being generated for this project", second.lines().get(0).getString("message"));
          assertEquals(200, results.get(0).status());
          assertTrue(results.get(0).last().getBoolean("result"));
          assertEquals(200, results.get(2).status());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("respond-stream-test with a project streams a short test answer into its chat, in the same chunk format and in sync")
  void streamTest(VertxTestContext ctx) {
    client("test@example.com").compose(c -> c.load(PROJECT).compose(before -> c.streamAndApply("/codvid-ai/ai/respond-stream-test",
            new JsonObject().put("project_name", PROJECT), l -> false).compose(s -> c.turn(PROJECT, before, s))))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertEquals(200, t.streamed().status());
          assertTrue(t.streamed().lines().size() > 5);
          assertWellFormed(t.streamed());
          t.assertInSync();
          JsonObject answer = t.last("assistant", "text");
          assertEquals(ChatService.TEST_TEXT, answer.getString("text"));
          String[] words = ChatService.TEST_TEXT.split("(?<= )");
          List<JsonArray> chunks = chunks(t.streamed());
          assertEquals(words.length, chunks.size(), "one chunk per word");
          assertEquals("append", chunks.get(0).getJsonObject(0).getString("mode"));
          assertEquals(words[0], chunks.get(0).getJsonObject(0).getJsonObject("value").getString("text"), "appended with its first word");
          StringBuilder soFar = new StringBuilder(words[0]);
          for (int i = 1; i < words.length; i++) {
            JsonObject edit = chunks.get(i).getJsonObject(0);
            assertEquals("edit", edit.getString("mode"));
            assertEquals(soFar.append(words[i]).toString(), edit.getString("value"), "each edit carries the text so far");
          }
          assertTrue(answer.getBoolean("test"));
          assertEquals(0, fake.requests().size());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("respond-stream-test answers data {} and no body at all with a short stream in the same chunk format that touches no project")
  void streamTestWithoutProject(VertxTestContext ctx) {
    client("noproject@example.com").compose(c -> c.load(PROJECT).compose(before -> c.streamAndApply("/codvid-ai/ai/respond-stream-test", new JsonObject(), l -> false)
        .compose(s -> fx.api.raw(HttpMethod.POST, "/ai/respond-stream-test", c.token, "").map(noBody -> new Object[] {c, before, s, noBody}))))
        .compose(r -> fx.modCount(((RuleClient) r[0]).token, PROJECT).map(count -> new Object[] {r[0], r[1], r[2], r[3], count}))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          RuleClient c = (RuleClient) r[0];
          JsonObject before = (JsonObject) r[1];
          Streamed s = (Streamed) r[2];
          assertEquals(200, s.status());
          assertEquals("application/x-ndjson; charset=utf-8", s.contentType());
          assertTrue(s.lines().size() > 5);
          assertTrue(s.lines().stream().allMatch(l -> l.getBoolean("result") && l.getJsonObject("response").getJsonArray("data_mods").size() == 1));
          assertEquals("create", chunks(s).get(0).getJsonObject(0).getString("mode"));
          JsonObject written = c.userData.getJsonObject(ChatService.STREAM_TEST_KEY);
          assertEquals(ChatService.TEST_TEXT, written.getString("text"));
          assertEquals(before, c.project(PROJECT), "the project is untouched, mod_count included");
          assertEquals(before.getLong("mod_count"), (Long) r[4]);

          io.vertx.ext.web.client.HttpResponse<?> noBody = (io.vertx.ext.web.client.HttpResponse<?>) r[3];
          assertEquals(200, noBody.statusCode());
          String[] lines = noBody.bodyAsString().split("\n");
          assertEquals(s.lines().size(), lines.length);
          JsonObject userData = new JsonObject();
          for (String line : lines) {
            DataMods.apply(userData, new JsonObject(line).getJsonObject("response").getJsonArray("data_mods"));
          }
          assertEquals(ChatService.TEST_TEXT, userData.getJsonObject(ChatService.STREAM_TEST_KEY).getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("hostile or wrong input is refused with 400 before anything streams; another user's project is 'Project not found'; no token is 401")
  void hostileInputs(VertxTestContext ctx) {
    JsonObject ok = ChatFixture.message("fine");
    List<Object[]> cases = List.of(
        new Object[] {new JsonObject().put("message", ok), 400, "missing project_name!"},
        new Object[] {new JsonObject().put("project_name", "nope").put("message", ok), 400, "Project not found"},
        new Object[] {new JsonObject().put("project_name", PROJECT), 400, "missing message!"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", 42), 400, "message must be a string or an object {role: \"user\", type: \"text\", text}"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", new JsonArray().add("hi")), 400, "message must be a string or an object {role: \"user\", type: \"text\", text}"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("role", "assistant")), 400, "message.role must be \"user\""},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("role", "system")), 400, "message.role must be \"user\""},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("type", "image")), 400, "message.type must be \"text\""},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "")), 400, ChatService.NOTHING_TO_ANSWER},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ""), 400, ChatService.NOTHING_TO_ANSWER},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", new JsonObject().put("role", "user").put("type", "text")), 400, "missing message.text!"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "  \n ")), 400, "message.text must not be blank (send an empty text to answer again without a new message)"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", "   "), 400, "message.text must not be blank (send an empty text to answer again without a new message)"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", 42)), 400, "text must be a string"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "x".repeat(10_001))), 400, "text is too long (at most 10000 characters)"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", "x".repeat(10_001)), 400, "message is too long (at most 10000 characters)"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "bad \u0000 byte")), 400, "text must not contain control characters"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "esc \u001b[31m")), 400, "text must not contain control characters"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok).put("stream", false), 400, "stream must be true: answers are always streamed"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok).put("stream", "maybe"), 400, "stream must be true or false"});
    fx.userWithProject("owner@example.com", PROJECT).compose(owner -> fx.api.signup("intruder@example.com", "test-password-1").compose(intruder -> {
      Future<Void> chain = Future.succeededFuture();
      for (Object[] c : cases) {
        chain = chain.compose(v -> fx.api.post("/ai/respond", owner, (JsonObject) c[0]).map(r -> {
          ctx.verify(() -> {
            assertEquals(c[1], r.statusCode(), ((JsonObject) c[0]).encode());
            assertEquals(c[2], r.bodyAsJsonObject().getString("message"));
            assertFalse(r.bodyAsJsonObject().getBoolean("result"));
          });
          return null;
        }));
      }
      return chain
          .compose(v -> fx.api.post("/ai/respond", intruder, new JsonObject().put("project_name", PROJECT).put("message", ok)))
          .map(r -> {
            ctx.verify(() -> {
              assertEquals(400, r.statusCode());
              assertEquals("Project not found", r.bodyAsJsonObject().getString("message"));
            });
            return null;
          })
          .compose(v -> fx.api.post("/ai/respond-stream-test", intruder, new JsonObject().put("project_name", PROJECT)))
          .map(r -> {
            ctx.verify(() -> assertEquals(400, r.statusCode()));
            return null;
          })
          .compose(v -> fx.api.post("/ai/respond-stream-test", owner, new JsonObject().put("project_name", 5)))
          .map(r -> {
            ctx.verify(() -> {
              assertEquals(400, r.statusCode());
              assertEquals("project_name must be a string", r.bodyAsJsonObject().getString("message"));
            });
            return null;
          })
          .compose(v -> fx.api.post("/ai/respond", null, new JsonObject().put("project_name", PROJECT).put("message", ok)))
          .map(r -> {
            ctx.verify(() -> assertEquals(401, r.statusCode()));
            return null;
          })
          .compose(v -> fx.api.post("/ai/respond-stream-test", null, new JsonObject()))
          .map(r -> {
            ctx.verify(() -> assertEquals(401, r.statusCode()));
            return null;
          })
          .compose(v -> fx.modCount(owner, PROJECT))
          .compose(count -> fx.respond(owner, PROJECT, "y".repeat(10_000)).map(s -> {
            ctx.verify(() -> {
              assertEquals(0L, count, "refused requests change nothing");
              assertEquals(200, s.status());
              assertTrue(s.last().getBoolean("result"));
              assertEquals(0, fake.requests().stream().filter(r -> r.encode().contains("fine")).count(), "nothing refused reached the model");
            });
            return null;
          }));
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("tools answer from the asking user's data only: another user's task id is not found")
  void toolsAreScoped(VertxTestContext ctx) {
    fx.userWithProject("alice@example.com", PROJECT).compose(alice -> fx.api.post("/ig-tracking/create_task", alice,
            new JsonObject().put("target_profile", "alice.shop"))
        .map(r -> r.bodyAsJsonObject().getJsonObject("response").getString("task_id")))
        .compose(aliceTask -> {
          fake.enqueue(Script.toolCalls("c1", ChatTools.SENTIMENT_SUMMARY, new JsonObject().put("task_id", aliceTask).encode()),
              Script.toolCalls("c2", ChatTools.PROFILE_SUMMARY, "{\"profile\":\"alice.shop\"}"),
              Script.text("ok"));
          return client("mallory@example.com").compose(mallory -> mallory.ask(PROJECT, ChatFixture.message("tell me about " + aliceTask)));
        })
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          List<JsonObject> tools = t.newChats().stream().map(JsonObject.class::cast).filter(m -> "tool".equals(m.getString("role"))).toList();
          assertEquals("Task not found or access denied", tools.get(0).getJsonObject("result").getString("error"));
          assertEquals("@alice.shop is not a tracked profile", tools.get(1).getJsonObject("result").getString("error"));
          assertNull(tools.get(0).getJsonObject("result").getValue("sentiment_summary"));
          t.assertInSync();
          ctx.completeNow();
        })));
  }
}
