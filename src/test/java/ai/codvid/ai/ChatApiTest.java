package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.ai.ChatFixture.Streamed;
import ai.codvid.fakes.FakeLlm;
import ai.codvid.fakes.FakeLlm.Script;
import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
@DisplayName("AI chat with an OpenAI-compatible provider (a fake one on loopback)")
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

  /** The project before, what the client read, and the project after. */
  record Exchange(JsonObject before, Streamed streamed, JsonObject after) {

    /** Applying every mod the client received to its cached data gives the stored chats and mod_count. */
    void assertClientInSync() {
      JsonObject cached = before.copy();
      DataMods.apply(cached, streamed.mods());
      assertEquals(after.getJsonArray("chats"), cached.getJsonArray("chats"));
      assertEquals(before.getLong("mod_count") + streamed.mods().size(), after.getLong("mod_count"));
    }

    JsonArray newChats() {
      JsonArray all = after.getJsonArray("chats");
      return new JsonArray(all.getList().subList(before.getJsonArray("chats").size(), all.size()));
    }

    JsonObject last(String role, String type) {
      JsonObject found = null;
      for (Object m : newChats()) {
        JsonObject message = (JsonObject) m;
        if (role.equals(message.getString("role")) && type.equals(message.getString("type"))) {
          found = message;
        }
      }
      return found;
    }
  }

  private Future<Exchange> exchange(String token, String text) {
    return fx.projectData(token, PROJECT).compose(before -> fx.respond(token, PROJECT, text)
        .compose(streamed -> fx.projectData(token, PROJECT).map(after -> new Exchange(before, streamed, after))));
  }

  private Future<String> user(String email) {
    return fx.userWithProject(email, PROJECT);
  }

  @Test
  @DisplayName("a streamed answer arrives as ndjson data_mods: the user message and a loading event first, then the assistant text in appends; applying them gives get-project-data's chats and mod_count")
  void streamedAnswer(VertxTestContext ctx) {
    fake.enqueue(Script.text("Hello", ", ", "world", "! ✨"));
    user("stream@example.com").compose(token -> exchange(token, "Hi there, how are my reels? 🎬"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          Streamed s = x.streamed();
          assertEquals(200, s.status());
          assertEquals("application/x-ndjson; charset=utf-8", s.contentType());
          assertTrue(s.lines().stream().allMatch(l -> l.getBoolean("result")), s.raw());
          JsonArray first = s.lines().get(0).getJsonObject("response").getJsonArray("data_mods");
          assertEquals(2, first.size());
          assertEquals("append", first.getJsonObject(0).getString("mode"));
          assertEquals(new JsonArray().add("chats"), first.getJsonObject(0).getJsonArray("key_path"));
          JsonObject userMessage = first.getJsonObject(0).getJsonObject("value");
          assertEquals("user", userMessage.getString("role"));
          assertEquals("text", userMessage.getString("type"));
          assertEquals("Hi there, how are my reels? 🎬", userMessage.getString("text"));
          assertTrue(userMessage.getValue("timestamp") instanceof Number);
          assertEquals("loading", first.getJsonObject(1).getJsonObject("value").getString("event_type"));
          assertTrue(s.mods().stream().anyMatch(m -> ((JsonObject) m).getJsonArray("key_path").size() == 3), "text arrives as appends");
          x.assertClientInSync();
          assertEquals("Hello, world! ✨", x.last("assistant", "text").getString("text"));

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
  @DisplayName("earlier user and assistant messages are sent to the model as history, events and tool messages are not")
  void history(VertxTestContext ctx) {
    fake.enqueue(Script.text("First answer."), Script.text("Second answer."));
    user("history@example.com").compose(token -> exchange(token, "first question").compose(x -> exchange(token, "second question")))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          x.assertClientInSync();
          JsonArray messages = fake.requests().get(1).getJsonArray("messages");
          assertEquals(List.of("system", "user", "assistant", "user"),
              messages.stream().map(m -> ((JsonObject) m).getString("role")).toList());
          assertEquals("First answer.", messages.getJsonObject(2).getString("content"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a tool call round: the call and its result are recorded in chats (role tool, event_type tool_calling) and the result is sent back to the model")
  void toolRound(VertxTestContext ctx) {
    fake.enqueue(Script.toolCalls("call_abc", ChatTools.LIST_REEL_TASKS, "{}", "call_def", ChatTools.PROFILE_SUMMARY, "{\"profile\":\"nobody_here\"}"),
        Script.text("You have no reels yet."));
    user("tools@example.com").compose(token -> exchange(token, "What do my reels do?"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          x.assertClientInSync();
          List<JsonObject> toolMessages = x.newChats().stream().map(JsonObject.class::cast)
              .filter(m -> "tool".equals(m.getString("role"))).toList();
          assertEquals(2, toolMessages.size());
          JsonObject reels = toolMessages.get(0);
          assertEquals("tool_calling", reels.getString("event_type"));
          assertEquals(ChatTools.LIST_REEL_TASKS, reels.getString("name"));
          assertEquals("call_abc", reels.getString("tool_call_id"));
          assertEquals(0, reels.getJsonObject("result").getInteger("total_reels"));
          assertEquals("@nobody_here is not a tracked profile", toolMessages.get(1).getJsonObject("result").getString("error"));
          assertTrue(x.streamed().mods().stream().anyMatch(m -> "edit".equals(((JsonObject) m).getString("mode"))));

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
          assertEquals("You have no reels yet.", x.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("after the cap on tool rounds an info event is recorded and the model is asked to answer without tools")
  void toolRoundCap(VertxTestContext ctx) {
    fake.enqueue(Script.toolCalls("c1", ChatTools.LIST_REEL_TASKS, "{}"), Script.toolCalls("c2", ChatTools.LIST_PROFILES, "{}"),
        Script.text("Done with what I have."));
    user("cap@example.com").compose(token -> exchange(token, "Dig deep"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          x.assertClientInSync();
          assertEquals(3, fake.requests().size());
          assertEquals("auto", fake.requests().get(1).getString("tool_choice"));
          assertEquals("none", fake.requests().get(2).getString("tool_choice"));
          JsonObject info = x.last("assistant", "event");
          assertEquals("info", info.getString("event_type"));
          assertTrue(info.getString("text").contains("limit of 2 tool rounds"), info.encode());
          assertEquals("Done with what I have.", x.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a 429 (and a 500) before the first token are retried, and the answer then streams normally")
  void retriesBeforeFirstToken(VertxTestContext ctx) {
    fake.enqueue(Script.rateLimited(0), Script.status(500, "server_error"), Script.text("Recovered."));
    user("retry@example.com").compose(token -> exchange(token, "hello"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(3, fake.requests().size());
          assertTrue(x.streamed().lines().stream().allMatch(l -> l.getBoolean("result")));
          x.assertClientInSync();
          assertEquals("Recovered.", x.last("assistant", "text").getString("text"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("when every attempt fails the stream ends with a short result:false line (no provider text, no key) and an error event is stored")
  void providerDown(VertxTestContext ctx) {
    fake.enqueue(Script.status(503, "server_error"), Script.status(503, "server_error"), Script.status(503, "server_error"));
    user("down@example.com").compose(token -> exchange(token, "hello"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(3, fake.requests().size());
          JsonObject last = x.streamed().last();
          assertFalse(last.getBoolean("result"));
          assertTrue(last.getString("message").contains("HTTP 503"), last.encode());
          assertFalse(x.streamed().raw().contains("secret"));
          assertFalse(x.streamed().raw().contains(FakeLlm.KEY));
          x.assertClientInSync();
          assertEquals("error", x.last("assistant", "event").getString("event_type"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a 401 from the provider is not retried")
  void notRetriedOnClientError(VertxTestContext ctx) {
    fake.enqueue(Script.status(401, "invalid_api_key"));
    user("badkey@example.com").compose(token -> exchange(token, "hello"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(1, fake.requests().size());
          assertTrue(x.streamed().last().getString("message").contains("HTTP 401 invalid_api_key"));
          x.assertClientInSync();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a connection drop mid-stream is not retried: the partial text is kept, an error event follows and the last line is result:false")
  void midStreamFailure(VertxTestContext ctx) {
    fake.enqueue(Script.dropAfter("Partial ", "answer"));
    user("drop@example.com").compose(token -> exchange(token, "hello"))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(1, fake.requests().size());
          JsonObject last = x.streamed().last();
          assertFalse(last.getBoolean("result"));
          assertTrue(last.getString("message").contains("broke off"), last.encode());
          x.assertClientInSync();
          assertEquals("Partial answer", x.last("assistant", "text").getString("text"));
          assertEquals("error", x.last("assistant", "event").getString("event_type"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a client that disconnects mid-stream stops generation; the chat keeps what was streamed plus an interrupted event, and the project is free again")
  void clientDisconnects(Vertx vertx, VertxTestContext ctx) {
    fake.enqueue(Script.text("One ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight").delay(250));
    user("gone@example.com").compose(token -> fx.projectData(token, PROJECT).compose(before -> fx.stream("/codvid-ai/ai/respond", token,
            new JsonObject().put("project_name", PROJECT).put("message", ChatFixture.message("count")),
            line -> line.encode().contains("\"two \""))
        .compose(streamed -> Polling.until(vertx, 50, 5000, () -> fx.projectData(token, PROJECT).map(after -> {
          JsonArray chats = after.getJsonArray("chats");
          JsonObject last = chats.getJsonObject(chats.size() - 1);
          return "interrupted".equals(last.getString("event_type")) ? after : null;
        })).map(after -> new Exchange(before, streamed, after)))
        .compose(x -> Polling.until(vertx, 50, 3000, () -> Future.succeededFuture(fake.abandoned() == 1 ? x : null)))
        .compose(x -> fx.respond(token, PROJECT, "again").map(again -> List.of(x, again)))))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          Exchange x = (Exchange) both.get(0);
          JsonObject cached = x.before().copy();
          DataMods.apply(cached, x.streamed().mods());
          JsonArray stored = x.after().getJsonArray("chats");
          JsonArray expected = cached.getJsonArray("chats").copy();
          expected.add(stored.getJsonObject(stored.size() - 1));
          assertEquals(expected, stored, "stored = what the client applied + the interrupted event");
          assertEquals(x.before().getLong("mod_count") + x.streamed().mods().size() + 1, x.after().getLong("mod_count"));
          assertEquals("One two ", x.last("assistant", "text").getString("text"));
          assertEquals(1, fake.abandoned());
          assertEquals(0, fake.completed() - 1, "only the second answer's stream ran to the end");
          Streamed again = (Streamed) both.get(1);
          assertEquals(200, again.status());
          assertTrue(again.last().getBoolean("result"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a second answer for the same project while one is streaming gets 409; another project of the same user is not blocked")
  void oneAnswerAtATime(VertxTestContext ctx) {
    fake.enqueue(Script.text("slow ", "answer ", "here").delay(200), Script.text("other project"));
    user("busy@example.com").compose(token -> fx.api.post("/project/create-project", token, new JsonObject().put("project_name", "other"))
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
  @DisplayName("respond-stream-test streams a short canned answer in the same format, kept in sync with get-project-data")
  void streamTest(VertxTestContext ctx) {
    user("test@example.com").compose(token -> fx.projectData(token, PROJECT).compose(before ->
            fx.stream("/codvid-ai/ai/respond-stream-test", token, new JsonObject().put("project_name", PROJECT), l -> false)
                .compose(s -> fx.projectData(token, PROJECT).map(after -> new Exchange(before, s, after)))))
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(200, x.streamed().status());
          assertTrue(x.streamed().lines().size() > 5);
          x.assertClientInSync();
          assertEquals(ChatService.TEST_TEXT, x.last("assistant", "text").getString("text"));
          assertEquals(0, fake.requests().size());
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
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", "hello"), 400, "message must be an object {role: \"user\", type: \"text\", text}"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("role", "assistant")), 400, "message.role must be \"user\""},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("role", "system")), 400, "message.role must be \"user\""},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("type", "image")), 400, "message.type must be \"text\""},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "")), 400, "message.text must not be empty"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "  \n ")), 400, "message.text must not be empty"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", 42)), 400, "text must be a string"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "x".repeat(10_001))), 400, "text is too long (at most 10000 characters)"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "bad \u0000 byte")), 400, "text must not contain control characters"},
        new Object[] {new JsonObject().put("project_name", PROJECT).put("message", ok.copy().put("text", "esc \u001b[31m")), 400, "text must not contain control characters"});
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
          .compose(v -> fx.api.post("/ai/respond", null, new JsonObject().put("project_name", PROJECT).put("message", ok)))
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
          return user("mallory@example.com").compose(mallory -> exchange(mallory, "tell me about " + aliceTask));
        })
        .onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          List<JsonObject> tools = x.newChats().stream().map(JsonObject.class::cast).filter(m -> "tool".equals(m.getString("role"))).toList();
          assertEquals("Task not found or access denied", tools.get(0).getJsonObject("result").getString("error"));
          assertEquals("@alice.shop is not a tracked profile", tools.get(1).getJsonObject("result").getString("error"));
          assertNull(tools.get(0).getJsonObject("result").getValue("sentiment_summary"));
          x.assertClientInSync();
          ctx.completeNow();
        })));
  }
}
