package ai.codvid.instagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("SampleSource gives every user a realistic, deterministic Instagram offline")
class SampleSourceTest {

  private static final InstagramSource.RetryListener NONE = InstagramSource.RetryListener.NONE;
  private static final Instant DAY = Instant.parse("2025-06-10T15:00:00Z");

  private final SampleSource source = new SampleSource(Clock.fixed(DAY, ZoneOffset.UTC));

  private static <T> T now(io.vertx.core.Future<T> future) {
    assertTrue(future.succeeded(), () -> "failed: " + future.cause());
    return future.result();
  }

  @Test
  @DisplayName("Without a token the node uses the sample source; with one, Apify")
  void choosesTheSource(Vertx vertx) {
    AppConfig empty = AppConfig.of(new JsonObject());
    assertEquals("sample", InstagramSources.create(vertx, empty).name());
    assertEquals("sample", InstagramSources.create(vertx, empty.with("apify.token", "   ")).name());
    InstagramSource apify = InstagramSources.create(vertx, empty.with("apify.token", "secret"));
    assertEquals("apify", apify.name());
    ((ApifySource) apify).close();
    AppConfig env = AppConfig.of(new JsonObject().put("CODVID_APIFY_TOKEN", "secret").put("CODVID_APIFY_MAX_ATTEMPTS", "7"));
    assertEquals(7, ApifyOptions.from(env).maxAttempts());
    assertTrue(ApifyOptions.from(env).hasToken());
    assertFalse(ApifyOptions.from(env).toString().contains("secret"));
    assertEquals(ApifyOptions.DEFAULT_BASE_URL, ApifyOptions.from(env).baseUrl());
  }

  @Test
  @DisplayName("The same name gives the same profile; another name another one")
  void deterministic() {
    JsonObject a = profileJson(now(source.fetchProfile("maya.santos", NONE)));
    JsonObject b = profileJson(now(new SampleSource(Clock.fixed(DAY, ZoneOffset.UTC)).fetchProfile("@Maya.Santos", NONE)));
    assertEquals(a, b);
    assertNotEquals(a, profileJson(now(source.fetchProfile("rahul_eats", NONE))));
    assertEquals(profileJson(now(source.scrapeProfile("maya.santos", 3, 10, NONE))),
        profileJson(now(source.scrapeProfile("maya.santos", 3, 10, NONE))));
  }

  private static JsonObject profileJson(InstagramProfile profile) {
    JsonArray posts = new JsonArray();
    profile.posts().forEach(p -> posts.add(p.toJson()));
    return profile.toJson().put("posts", posts);
  }

  @Test
  @DisplayName("A profile lists 12 posts: an old pinned one first, some reels with views and plays, one hidden like count")
  void profileShape() {
    InstagramProfile profile = now(source.fetchProfile("maya.santos", NONE));
    assertEquals("sample", profile.source());
    assertEquals("Maya Santos", profile.fullName());
    assertTrue(profile.followers() >= 1000);
    assertTrue(profile.profilePicUrl().startsWith("data:image/svg+xml,"));
    List<InstagramPost> posts = profile.posts();
    assertEquals(12, posts.size());
    InstagramPost pin = posts.get(0);
    assertTrue(pin.pinned());
    assertEquals(1, posts.stream().filter(InstagramPost::pinned).count());
    assertTrue(posts.stream().skip(1).allMatch(p -> p.timestamp() > pin.timestamp()), "the pin is the oldest");
    assertTrue(posts.stream().allMatch(p -> p.timestamp() < DAY.getEpochSecond()));
    List<InstagramPost> reels = posts.stream().filter(p -> p.type().equals("reel")).toList();
    assertFalse(reels.isEmpty());
    reels.forEach(r -> assertTrue(r.videoPlayCount() > r.videoViewCount() && r.videoViewCount() > 0));
    assertEquals(1, posts.stream().filter(p -> p.likesCount() == null).count());
    assertTrue(posts.stream().allMatch(p -> p.source().equals("sample") && p.ownerUsername().equals("maya.santos")));
    assertTrue(posts.stream().allMatch(p -> p.comments().isEmpty()), "the profile scraper carries no comments");
    assertTrue(posts.stream().allMatch(p -> p.shortCode().matches("[A-Za-z0-9_-]{1,64}")));
  }

  @Test
  @DisplayName("scrapeProfile applies the same rule as for Apify: 3 most recent, top 10 comments, most liked then newest")
  void selectionRule() {
    InstagramProfile all = now(source.fetchProfile("maya.santos", NONE));
    InstagramProfile scraped = now(source.scrapeProfile("maya.santos", 3, 10, NONE));
    assertEquals(ScrapeRule.mostRecent(all.posts(), 3).stream().map(InstagramPost::postId).toList(),
        scraped.posts().stream().map(InstagramPost::postId).toList());
    assertTrue(scraped.posts().stream().noneMatch(InstagramPost::pinned));
    for (InstagramPost post : scraped.posts()) {
      assertEquals(Math.min(10, post.commentsCount()), post.comments().size());
      assertEquals(post.comments().stream().sorted(ScrapeRule.TOP_COMMENTS).toList(), post.comments());
      post.comments().forEach(c -> assertTrue(c.timestamp() >= post.timestamp()));
    }
  }

  @Test
  @DisplayName("Comments come from a varied library: languages, emoji-only, empty GIF comments, all tones")
  void commentLibrary() {
    List<InstagramComment> comments = new ArrayList<>();
    for (String name : List.of("maya.santos", "rahul_eats", "travel.ana", "diego", "priya.fit")) {
      for (InstagramPost post : now(source.fetchProfile(name, NONE)).posts()) {
        comments.addAll(now(source.fetchComments(post.postUrl(), 50, NONE)));
      }
    }
    Set<String> texts = comments.stream().map(InstagramComment::text).collect(Collectors.toSet());
    assertTrue(texts.contains(""), "GIF comments");
    assertTrue(texts.stream().anyMatch(SampleLibrary.EMOJI_ONLY::contains));
    assertTrue(texts.stream().anyMatch(SampleLibrary.POSITIVE::contains));
    assertTrue(texts.stream().anyMatch(SampleLibrary.NEGATIVE::contains));
    assertTrue(texts.stream().anyMatch(SampleLibrary.NEUTRAL::contains));
    assertTrue(texts.stream().anyMatch(t -> t.contains("Que") || t.contains("Muito")), "Portuguese");
    assertTrue(texts.stream().anyMatch(t -> t.contains("badhiya") || t.contains("yaar") || t.contains("bhai")), "Hindi");
    assertTrue(comments.stream().anyMatch(c -> c.likesCount() > 10), "some comments are liked a lot");
    assertEquals(comments.size(), comments.stream().map(InstagramComment::id).distinct().count());
  }

  @Test
  @DisplayName("Posts keep their id and time from one day to the next, and new posts appear")
  void stableAcrossDays() {
    SampleSource later = new SampleSource(Clock.fixed(DAY.plus(Duration.ofDays(4)), ZoneOffset.UTC));
    List<InstagramPost> today = now(source.fetchProfile("maya.santos", NONE)).posts();
    List<InstagramPost> inFourDays = now(later.fetchProfile("maya.santos", NONE)).posts();
    assertEquals(today.get(0).postId(), inFourDays.get(0).postId(), "the same pin");
    InstagramPost newestToday = ScrapeRule.mostRecent(today, 1).get(0);
    InstagramPost same = inFourDays.stream().filter(p -> p.postId().equals(newestToday.postId())).findFirst().orElseThrow();
    assertEquals(newestToday.timestamp(), same.timestamp());
    assertEquals(newestToday.caption(), same.caption());
    assertTrue(ScrapeRule.mostRecent(inFourDays, 1).get(0).timestamp() > newestToday.timestamp());
  }

  @Test
  @DisplayName("A post fetched by its URL is the post of the listing; any valid reel URL gives a reel")
  void postsByUrl() {
    InstagramPost listed = now(source.fetchProfile("maya.santos", NONE)).posts().get(3);
    InstagramPost fetched = now(source.fetchPost(listed.postUrl(), NONE));
    assertEquals(listed.postId(), fetched.postId());
    assertEquals(listed.timestamp(), fetched.timestamp());
    assertEquals(listed.type(), fetched.type());
    assertEquals(listed.likesCount(), fetched.likesCount());
    assertEquals(listed.commentsCount(), fetched.commentsCount());

    InstagramPost reel = now(source.scrapePost("https://www.instagram.com/reel/C9xYz_12-Ab/?igsh=abc", 10, NONE));
    assertEquals("reel", reel.type());
    assertEquals("C9xYz_12-Ab", reel.shortCode());
    assertTrue(reel.videoPlayCount() > 0 && reel.videoViewCount() > 0);
    assertEquals("sample", reel.source());
    assertTrue(reel.timestamp() < DAY.getEpochSecond());
    assertEquals(reel.toJson(), now(source.scrapePost("https://instagram.com/reels/C9xYz_12-Ab", 10, NONE)).toJson());
  }

  @Test
  @DisplayName("private_sample is private with no posts, missing_sample is not found, bad input is refused")
  void conventions() {
    InstagramProfile locked = now(source.scrapeProfile(SampleSource.PRIVATE_USERNAME, 3, 10, NONE));
    assertTrue(locked.isPrivate());
    assertTrue(locked.posts().isEmpty());
    CodvidException missing = assertInstanceOf(CodvidException.class,
        source.scrapeProfile(SampleSource.MISSING_USERNAME, 3, 10, NONE).cause());
    assertEquals(FailureCode.NOT_FOUND, missing.code());
    assertEquals("Instagram profile 'missing_sample' not found or private", missing.getMessage());
    assertEquals(FailureCode.BAD_REQUEST,
        ((CodvidException) source.fetchProfile("{\"$ne\":1}", NONE).cause()).code());
    assertEquals(FailureCode.BAD_REQUEST,
        ((CodvidException) source.scrapePost("https://evil.example/reel/x/", 10, NONE).cause()).code());
  }

  @Test
  @DisplayName("A sample scrape is answered at once, without Vert.x or the network: its future is complete when returned")
  void answersAtOnce() {
    // what the old 5 ms timing meant to check, without timing it (speed belongs in bench/, not in a unit test):
    // the sample source computes its data on the caller's thread, so nothing is ever waited for
    for (int i = 0; i < 200; i++) {
      io.vertx.core.Future<InstagramProfile> scrape = source.scrapeProfile("user" + i, 3, 10, NONE);
      assertTrue(scrape.isComplete(), "scrape of user" + i + " still pending when returned");
      assertTrue(scrape.succeeded(), () -> "failed: " + scrape.cause());
      assertFalse(scrape.result().posts().isEmpty());
    }
  }

  @Test
  @DisplayName("Hidden like counts are null in the JSON, never -1")
  void hiddenLikesAreNull() {
    InstagramPost hidden = now(source.fetchProfile("maya.santos", NONE)).posts().stream()
        .filter(p -> p.likesCount() == null).findFirst().orElseThrow();
    assertNull(hidden.toJson().getValue("likes_count"));
    assertTrue(hidden.toJson().containsKey("likes_count"));
  }
}
