package ai.codvid.instagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("InstagramNames accepts what users paste and refuses everything else")
class InstagramNamesTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "maya.santos | maya.santos",
      "@Maya_Santos | maya_santos",
      "  @nasa  | nasa",
      "https://www.instagram.com/nasa/ | nasa",
      "https://instagram.com/NASA | nasa",
      "http://www.instagram.com/nasa?hl=en | nasa",
      "instagram.com/nasa?igsh=MWQ1ZGUxMzBkMA== | nasa",
      "www.instagram.com/a.b_c/ | a.b_c",
      "https://m.instagram.com/nasa/#top | nasa",
      "a | a",
      "abcdefghijklmnopqrstuvwxyz1234 | abcdefghijklmnopqrstuvwxyz1234"})
  @DisplayName("A username, @name or profile URL becomes the lower-case username")
  void validUsernames(String input, String expected) {
    assertEquals(expected, InstagramNames.normalizeUsername(input));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "   ", "@", "abcdefghijklmnopqrstuvwxyz12345", "maya santos", "../etc/passwd",
      "..%2F..", "mayá", "маша", "名字", "{\"$ne\":1}", "$where", "name;drop", "a/b", "https://evil.example/nasa",
      "https://instagram.com.evil.example/nasa", "https://www.instagram.com/", "https://www.instagram.com/p/ABC/",
      "https://www.instagram.com/explore/", "javascript:alert(1)", "@@nasa", "nasa\tx", "nasa\u0000x", "na sa"})
  @DisplayName("Hostile or invalid usernames fail with BAD_REQUEST")
  void invalidUsernames(String input) {
    CodvidException e = assertThrows(CodvidException.class, () -> InstagramNames.normalizeUsername(input));
    assertEquals(FailureCode.BAD_REQUEST, e.code());
  }

  @org.junit.jupiter.api.Test
  @DisplayName("A null username and a megabyte of text fail with BAD_REQUEST")
  void nullAndHuge() {
    assertThrows(CodvidException.class, () -> InstagramNames.normalizeUsername(null));
    assertThrows(CodvidException.class, () -> InstagramNames.normalizeUsername("a".repeat(1_000_000)));
    assertThrows(CodvidException.class, () -> InstagramNames.reelId(null));
    assertThrows(CodvidException.class, () -> InstagramNames.reelId("https://www.instagram.com/reel/" + "a".repeat(1_000_000)));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "https://www.instagram.com/reel/C9xYz_12-Ab/ | C9xYz_12-Ab",
      "https://www.instagram.com/reel/C9xYz_12-Ab | C9xYz_12-Ab",
      "https://instagram.com/reels/C9xYz/?igsh=abc | C9xYz",
      "http://www.instagram.com/p/DAbc123/?img_index=1 | DAbc123",
      "instagram.com/p/DAbc123 | DAbc123",
      "www.instagram.com/tv/CQxyz/ | CQxyz",
      "https://www.instagram.com/nasa/reel/C9xYz/ | C9xYz",
      "https://www.instagram.com/reel/C9xYz/#comments | C9xYz"})
  @DisplayName("Reel and post URLs give their id")
  void validReelUrls(String url, String id) {
    assertEquals(id, InstagramNames.reelId(url));
    assertEquals("https://www.instagram.com/p/" + id + "/", InstagramNames.canonicalPostUrlOf(url));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "C9xYz", "https://www.instagram.com/nasa/", "https://www.instagram.com/reel/",
      "https://www.instagram.com/reel/C9x%2F..%2F/", "https://www.instagram.com/reel/C9x.Yz/",
      "https://evil.example/reel/C9xYz/", "https://instagram.com.evil.example/reel/C9xYz/",
      "https://www.instagram.com/reel/{\"$ne\":1}/", "https://www.instagram.com/reel/ÄÖÜ/",
      "ftp://www.instagram.com/reel/C9xYz/", "https://www.instagram.com/stories/nasa/123/"})
  @DisplayName("Other URLs fail with BAD_REQUEST")
  void invalidReelUrls(String url) {
    CodvidException e = assertThrows(CodvidException.class, () -> InstagramNames.reelId(url));
    assertEquals(FailureCode.BAD_REQUEST, e.code());
  }

  @org.junit.jupiter.api.Test
  @DisplayName("A canonical URL is only built from a valid id")
  void canonical() {
    assertEquals("https://www.instagram.com/p/DAbc_1-x/", InstagramNames.canonicalPostUrl("DAbc_1-x"));
    assertThrows(CodvidException.class, () -> InstagramNames.canonicalPostUrl("../x"));
    assertThrows(CodvidException.class, () -> InstagramNames.canonicalPostUrl("a".repeat(65)));
  }
}
