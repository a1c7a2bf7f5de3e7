package ai.codvid.instagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import ai.codvid.fakes.FakeApify;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("ApifySource maps Apify's items and applies the selection rule")
class ApifySourceTest {

  private static final InstagramSource.RetryListener NONE = InstagramSource.RetryListener.NONE;

  private FakeApify fake;
  private ApifySource source;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext testContext) {
    FakeApify.start(vertx).onComplete(testContext.succeeding(started -> {
      fake = started;
      source = new ApifySource(vertx, ApifyTesting.options(fake));
      testContext.completeNow();
    }));
  }

  @AfterEach
  void stop() {
    source.close();
    fake.close();
  }

  private InstagramPost byCode(List<InstagramPost> posts, String username, int index) {
    String code = FakeApify.shortCode(username, index);
    return posts.stream().filter(p -> code.equals(p.shortCode())).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("A profile becomes our model with its 12 posts as listed, the pin flagged, token and input sent as Apify expects")
  void fetchProfile(VertxTestContext testContext) {
    source.fetchProfile("@Maya.Santos", NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals("maya.santos", profile.username());
      assertEquals("Fake maya.santos", profile.fullName());
      assertEquals(12_345L, profile.followers());
      assertEquals(321L, profile.following());
      assertEquals(42L, profile.postsCount());
      assertEquals(2L, profile.igtvVideoCount());
      assertEquals("https://cdn.example/maya.santos-hd.jpg", profile.profilePicUrl());
      assertTrue(profile.verified());
      assertFalse(profile.isPrivate());
      assertEquals("apify", profile.source());
      assertEquals(12, profile.posts().size());
      assertTrue(profile.posts().get(0).pinned());
      assertEquals(1, profile.posts().stream().filter(InstagramPost::pinned).count());
      JsonObject request = fake.requests().get(0);
      assertEquals(FakeApify.PROFILE_ACTOR, request.getString("actor"));
      assertEquals(new JsonObject().put("usernames", new JsonArray().add("maya.santos")), request.getJsonObject("input"));
      assertEquals("2", request.getJsonObject("query").getString("timeout"));
      assertEquals("1", request.getJsonObject("query").getString("clean"));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Hidden likes become null, reels keep views and plays, types are reel/carousel/post, times are epoch seconds")
  void quirksOfPosts(VertxTestContext testContext) {
    source.fetchProfile("maya", NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      List<InstagramPost> posts = profile.posts();
      InstagramPost reel = byCode(posts, "maya", 1);
      assertEquals("reel", reel.type());
      assertEquals(5_000L, reel.videoViewCount());
      assertEquals(9_000L, reel.videoPlayCount());
      assertEquals(500L, reel.likesCount());
      assertEquals(FakeApify.REFERENCE.getEpochSecond() - 86_400, reel.timestamp());
      assertEquals("carousel", byCode(posts, "maya", 2).type());
      InstagramPost hidden = byCode(posts, "maya", 3);
      assertNull(hidden.likesCount());
      assertEquals("post", hidden.type());
      assertNull(hidden.toJson().getValue("likes_count"));
      InstagramPost igtv = byCode(posts, "maya", 4);
      assertEquals("post", igtv.type());
      assertEquals(300L, igtv.videoViewCount());
      assertEquals("post", byCode(posts, "maya", 5).type());
      assertEquals(FakeApify.PINNED_AT.getEpochSecond(), byCode(posts, "maya", 0).timestamp());
      assertEquals(List.of("#fake", "#tagged"), reel.hashtags());
      assertEquals(List.of("@friend", "@other"), reel.mentions());
      assertEquals(25L, reel.commentsCount());
      assertEquals("maya", reel.ownerUsername());
      assertEquals(FakeApify.postUrl(reel.shortCode()), reel.postUrl());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("scrapeProfile takes the 3 most recent posts (the old pin never crowds them out) with their top 10 comments")
  void scrapeProfileSelection(VertxTestContext testContext) {
    source.scrapeProfile("maya", 3, 10, NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals(List.of(FakeApify.shortCode("maya", 1), FakeApify.shortCode("maya", 2), FakeApify.shortCode("maya", 3)),
          profile.posts().stream().map(InstagramPost::shortCode).toList());
      for (InstagramPost post : profile.posts()) {
        assertEquals(10, post.comments().size());
        assertEquals(expectedTop(post.shortCode(), 10), post.comments().stream().map(InstagramComment::id).toList());
      }
      assertEquals(1, fake.calls(FakeApify.PROFILE_ACTOR));
      assertEquals(3, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      assertEquals(0, fake.calls(FakeApify.SCRAPER_ACTOR, "posts"));
      assertEquals(50, fake.requests().get(1).getJsonObject("input").getInteger("resultsLimit"));
      testContext.completeNow();
    })));
  }

  /** Comment k has (k * 7) % 13 likes and is k minutes after the post: most liked, then newest. */
  private static List<String> expectedTop(String code, int n) {
    return IntStream.rangeClosed(1, FakeApify.COMMENTS_PER_POST).boxed()
        .sorted(Comparator.comparingInt((Integer k) -> (k * 7) % 13).reversed().thenComparing(Comparator.reverseOrder()))
        .limit(n).map(k -> code + "-c" + k).toList();
  }

  @Test
  @DisplayName("Empty GIF comments and emoji-only comments are kept as they are")
  void gifAndEmojiComments(VertxTestContext testContext) {
    source.scrapeProfile("maya", 1, 25, NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      List<InstagramComment> comments = profile.posts().get(0).comments();
      assertEquals(25, comments.size());
      InstagramComment gif = comments.stream().filter(c -> c.id().endsWith("-c11")).findFirst().orElseThrow();
      assertEquals("", gif.text());
      assertEquals(12L, gif.likesCount());
      assertTrue(comments.stream().anyMatch(c -> c.text().equals("🔥🔥🔥")));
      assertTrue(comments.stream().anyMatch(c -> c.text().equals("你好，很好看")));
      assertEquals("", gif.toJson().getString("text"));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("scrapePost merges the comments the item carries with the comments call, without duplicates")
  void scrapePostMerges(VertxTestContext testContext) {
    String url = "https://instagram.com/reel/DAbc_123-x/?igsh=xyz";
    source.scrapePost(url, 10, NONE).onComplete(testContext.succeeding(post -> testContext.verify(() -> {
      assertEquals("DAbc_123-x", post.shortCode());
      assertEquals("reel", post.type());
      assertEquals(10, post.comments().size());
      assertEquals(10, post.comments().stream().map(InstagramComment::id).distinct().count());
      assertEquals(expectedTop("DAbc_123-x", 10), post.comments().stream().map(InstagramComment::id).toList());
      assertEquals(1, fake.calls(FakeApify.SCRAPER_ACTOR, "posts"));
      assertEquals(1, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      JsonObject input = fake.requests().get(0).getJsonObject("input");
      assertEquals("https://www.instagram.com/p/DAbc_123-x/", input.getJsonArray("directUrls").getString(0));
      assertEquals("posts", input.getString("resultsType"));
      assertEquals(1, input.getInteger("resultsLimit"));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("No comments call when the post item already carries enough comments")
  void noCommentsCallWhenEnough(VertxTestContext testContext) {
    source.scrapePost("https://www.instagram.com/p/DAbc/", 3, NONE).onComplete(testContext.succeeding(post -> testContext.verify(() -> {
      assertEquals(3, post.comments().size());
      assertEquals(0, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("No comments call when commentsCount says the carried comments are all there are")
  void noCommentsCallWhenNoMore(VertxTestContext testContext) {
    JsonObject item = FakeApify.postItem("DQuiet", "maya", 2).put("commentsCount", 0);
    fake.post("DQuiet", item);
    source.scrapePost("https://www.instagram.com/p/DQuiet/", 10, NONE).onComplete(testContext.succeeding(post -> testContext.verify(() -> {
      assertTrue(post.comments().isEmpty());
      assertEquals(0, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A private profile gives its info and no posts, and no comments are fetched")
  void privateProfile(VertxTestContext testContext) {
    fake.privateProfile("locked");
    source.scrapeProfile("locked", 3, 10, NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertTrue(profile.isPrivate());
      assertTrue(profile.posts().isEmpty());
      assertEquals(12_345L, profile.followers());
      assertEquals(1, fake.calls());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A private profile's posts are ignored even if an item lists some")
  void privateProfileWithPosts(VertxTestContext testContext) {
    fake.profile("leaky", FakeApify.profileItem("leaky").put("private", true));
    source.fetchProfile("leaky", NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertTrue(profile.isPrivate());
      assertTrue(profile.posts().isEmpty());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A dataset of only error items means the profile is not found or private")
  void allErrorItemsProfile(VertxTestContext testContext) {
    fake.errorItems("ghost");
    source.scrapeProfile("ghost", 3, 10, NONE).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = assertInstanceOf(CodvidException.class, failure);
      assertEquals(FailureCode.NOT_FOUND, e.code());
      assertEquals("Instagram profile 'ghost' not found or private", e.getMessage());
      assertEquals(1, fake.calls());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("A post whose dataset holds only error items is not found or private")
  void allErrorItemsPost(VertxTestContext testContext) {
    fake.errorItems("DGone");
    source.scrapePost("https://www.instagram.com/reel/DGone/", 10, NONE).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      CodvidException e = assertInstanceOf(CodvidException.class, failure);
      assertEquals(FailureCode.NOT_FOUND, e.code());
      assertEquals("Post not found or private", e.getMessage());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Error items mixed into datasets are filtered out and the data survives")
  void mixedErrorItems(VertxTestContext testContext) {
    fake.mixErrorItems(true);
    source.scrapeProfile("maya", 3, 10, NONE).onComplete(testContext.succeeding(profile -> testContext.verify(() -> {
      assertEquals("maya", profile.username());
      assertEquals(3, profile.posts().size());
      profile.posts().forEach(p -> assertEquals(10, p.comments().size()));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("Invalid usernames and URLs fail with BAD_REQUEST before any call")
  void invalidInputs(VertxTestContext testContext) {
    source.fetchProfile("../etc/passwd", NONE)
        .recover(f -> {
          testContext.verify(() -> assertEquals(FailureCode.BAD_REQUEST, ((CodvidException) f).code()));
          return source.fetchPost("https://evil.example/p/ABC/", NONE).map(p -> null);
        })
        .onComplete(testContext.failing(failure -> testContext.verify(() -> {
          assertEquals(FailureCode.BAD_REQUEST, ((CodvidException) failure).code());
          assertEquals(0, fake.calls());
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("A comments dataset of only error items keeps the comments the post item carried")
  void commentsNotFoundKeepsCarried(VertxTestContext testContext) {
    JsonArray carried = new JsonArray(FakeApify.commentItems("DAbc", FakeApify.REFERENCE).getList().subList(0, 3));
    fake.post("DAbc", FakeApify.postItem("DAbc", "maya", 1).put("latestComments", carried));
    fake.comments("DAbc", new JsonArray().add(FakeApify.errorItem(FakeApify.postUrl("DAbc"))));
    source.scrapePost("https://www.instagram.com/p/DAbc/", 10, NONE).onComplete(testContext.succeeding(post -> testContext.verify(() -> {
      assertEquals(FakeApify.CARRIED_COMMENTS, post.comments().size());
      assertEquals(1, fake.calls(FakeApify.SCRAPER_ACTOR, "comments"));
      testContext.completeNow();
    })));
  }
}
