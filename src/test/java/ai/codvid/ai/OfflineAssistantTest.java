package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.support.Polling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The built-in assistant (no language model configured)")
class OfflineAssistantTest {

  private static final String PROJECT = "demo";
  private static final String REEL_URL = "https://www.instagram.com/reel/C0ffee123/";
  private ChatFixture fx;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    ChatFixture.start(vertx, false, c -> c).onComplete(ctx.succeeding(f -> {
      fx = f;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    fx.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<JsonObject> scrapedReel(Vertx vertx, String token) {
    return fx.api.post("/ig-tracking/create_reel_task", token, new JsonObject().put("project_name", PROJECT).put("reel_url", REEL_URL))
        .compose(r -> {
          String id = r.bodyAsJsonObject().getJsonObject("response").getString("task_id");
          return fx.api.post("/ig-tracking/force_scrape_reel/" + id, token, null)
              .compose(f -> Polling.until(vertx, 50, 15_000, () -> fx.api.get("/ig-tracking/get_reel_tracking_task/" + id, token)
                  .map(t -> {
                    JsonObject task = t.bodyAsJsonObject().getJsonObject("response").getJsonObject("task");
                    return task.getJsonObject("reel_data") == null ? null : task;
                  })));
        });
  }

  private Future<JsonObject> scrapedProfile(Vertx vertx, String token, String username, boolean competitor) {
    return fx.api.post("/ig-tracking/create_task", token, new JsonObject().put("target_profile", username).put("is_competitor", competitor))
        .compose(r -> {
          String id = r.bodyAsJsonObject().getJsonObject("response").getString("task_id");
          return fx.api.post("/ig-tracking/force_scrape/" + id, token, null)
              .compose(f -> Polling.until(vertx, 50, 15_000, () -> fx.api.get("/ig-tracking/get_task/" + id, token)
                  .map(t -> t.bodyAsJsonObject().getJsonObject("response").getValue("last_scraped") == null ? null
                      : t.bodyAsJsonObject().getJsonObject("response"))));
        });
  }

  @Test
  @DisplayName("for a project with a scraped reel it reports the reel's stored numbers and sentiment, records its tool calls, says a model can be configured, and a rule-following client stays in sync")
  void reportsTrackedReels(Vertx vertx, VertxTestContext ctx) {
    fx.userWithProject("offline@example.com", PROJECT).compose(token -> scrapedReel(vertx, token)
        .compose(reel -> fx.new RuleClient(token).ask(PROJECT, ChatFixture.message("How are my reels doing?"))
            .map(t -> new Object[] {reel, t})))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject reel = ((JsonObject) r[0]).getJsonObject("reel_data");
          ChatFixture.Turn t = (ChatFixture.Turn) r[1];
          ChatFixture.Streamed s = t.streamed();
          assertEquals(200, s.status());
          assertTrue(s.lines().stream().allMatch(l -> l.getBoolean("result")), s.raw());
          t.assertInSync();

          JsonArray chats = t.server().getJsonArray("chats");
          List<JsonObject> tools = chats.stream().map(JsonObject.class::cast).filter(m -> "tool".equals(m.getString("role"))).toList();
          assertEquals(List.of(ChatTools.LIST_REEL_TASKS, ChatTools.LIST_PROFILES), tools.stream().map(t2 -> t2.getString("name")).toList());
          assertTrue(tools.stream().allMatch(t2 -> "tool_calling".equals(t2.getString("event_type")) && t2.getJsonObject("result") != null));

          String answer = chats.getJsonObject(chats.size() - 1).getString("text");
          System.out.println("Offline answer:\n" + answer);
          assertTrue(answer.contains("Project \"demo\" tracks 1 reel:"), answer);
          assertTrue(answer.contains(REEL_URL), answer);
          assertTrue(answer.contains(phrase(reel.getValue("likes"), "likes")), answer);
          assertTrue(answer.contains(phrase(reel.getValue("comments"), "comments")), answer);
          assertTrue(answer.contains(phrase(reel.getValue("plays"), "plays")), answer);
          assertTrue(answer.contains("(overall " + reel.getJsonObject("sentiment_analysis").getString("overall_sentiment") + ")"), answer);
          assertTrue(answer.contains("You do not track any Instagram profiles yet."), answer);
          assertTrue(answer.contains("configure a language model"), answer);
          assertEveryNumberCameFromATool(answer, tools);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an empty text (\"/r\") answers the chat's latest question again, without storing a new message")
  void answersAgain(Vertx vertx, VertxTestContext ctx) {
    fx.userWithProject("again-offline@example.com", PROJECT).compose(token -> {
      ChatFixture.RuleClient client = fx.new RuleClient(token);
      return client.ask(PROJECT, ChatFixture.message("Any insights?")).compose(first -> client.ask(PROJECT, ""));
    }).onComplete(ctx.succeeding(t -> ctx.verify(() -> {
      t.assertInSync();
      JsonArray chats = t.server().getJsonArray("chats");
      assertEquals(1, chats.stream().filter(m -> "user".equals(((JsonObject) m).getString("role"))).count());
      assertEquals(2, chats.stream().filter(m -> ChatMessages.isText((JsonObject) m, "assistant")).count());
      assertTrue(chats.getJsonObject(chats.size() - 1).getString("text").startsWith("Project \"demo\" has no tracked reels yet."));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("naming two tracked profiles with 'compare' gets their comparison from compare_profiles")
  void comparesProfiles(Vertx vertx, VertxTestContext ctx) {
    fx.userWithProject("compare@example.com", PROJECT).compose(token -> scrapedProfile(vertx, token, "our.brand", false)
        .compose(a -> scrapedProfile(vertx, token, "rival.brand", true))
        .compose(b -> fx.respond(token, PROJECT, "Compare @our.brand vs rival.brand please"))
        .compose(s -> fx.projectData(token, PROJECT)))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          JsonArray chats = after.getJsonArray("chats");
          List<JsonObject> tools = chats.stream().map(JsonObject.class::cast).filter(m -> "tool".equals(m.getString("role"))).toList();
          assertEquals(List.of(ChatTools.LIST_REEL_TASKS, ChatTools.LIST_PROFILES, ChatTools.COMPARE_PROFILES),
              tools.stream().map(t -> t.getString("name")).toList());
          JsonObject comparison = tools.get(2).getJsonObject("result");
          String answer = chats.getJsonObject(chats.size() - 1).getString("text");
          System.out.println("Offline comparison:\n" + answer);
          assertTrue(answer.contains("Comparison of @our.brand and @rival.brand:"), answer);
          assertTrue(answer.contains(OfflineAssistant.number(comparison.getJsonObject("profile_b").getValue("followers")) + " followers"), answer);
          assertTrue(answer.contains("@rival.brand (competitor)"), answer);
          assertEveryNumberCameFromATool(answer, tools);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("with no tracked data it says so instead of making anything up")
  void noData(VertxTestContext ctx) {
    fx.userWithProject("empty@example.com", PROJECT).compose(token -> fx.respond(token, PROJECT, "Any insights?")
            .compose(s -> fx.projectData(token, PROJECT)))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          JsonArray chats = after.getJsonArray("chats");
          String answer = chats.getJsonObject(chats.size() - 1).getString("text");
          assertTrue(answer.startsWith("Project \"demo\" has no tracked reels yet."), answer);
          assertTrue(answer.contains("You do not track any Instagram profiles yet."), answer);
          assertTrue(answer.contains("CODVID_LLM_BASE_URL"), answer);
          ctx.completeNow();
        })));
  }

  private static String phrase(Object value, String what) {
    return value == null ? what + " unknown" : OfflineAssistant.number(value) + " " + what;
  }

  /** Every number in the answer (dates, URLs, handles and list markers aside) is a number some tool returned. */
  private static void assertEveryNumberCameFromATool(String answer, List<JsonObject> tools) {
    Set<String> known = new HashSet<>();
    tools.forEach(t -> collect(t.getValue("result"), known));
    String text = answer
        .replaceAll("https?://\\S+", " ")
        .replaceAll("@[A-Za-z0-9._]+", " ")
        .replaceAll("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC", " ")
        .replaceAll("(?m)^\\d+\\. ", " ")
        .replaceAll("CODVID_[A-Z_]+", " ");
    Matcher numbers = Pattern.compile("\\d[\\d,]*(\\.\\d+)?").matcher(text);
    while (numbers.find()) {
      String n = numbers.group().replace(",", "");
      assertTrue(known.contains(n), "the answer states " + n + " which no tool returned; known: " + known);
    }
  }

  private static void collect(Object value, Set<String> into) {
    if (value instanceof JsonObject o) {
      o.forEach(e -> collect(e.getValue(), into));
    } else if (value instanceof JsonArray a) {
      a.forEach(v -> collect(v, into));
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      into.add(d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d));
    }
  }
}
