package ai.codvid.instagram;

import ai.codvid.CodvidException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of what users type: usernames and post / reel URLs. Everything
 * that reaches Apify, the sample source or the store has been through here, so a stored name is
 * always 1–30 of {@code [a-z0-9._]} and a stored post id always {@code [A-Za-z0-9_-]{1,64}}.
 */
public final class InstagramNames {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._]{1,30}");
  private static final Pattern PROFILE_URL = Pattern.compile(
      "(?i)^(?:https?://)?(?:www\\.|m\\.)?instagram\\.com/([^/?#]*)/?(?:[?#].*)?$");
  private static final Pattern POST_URL = Pattern.compile(
      "(?i)^(?:https?://)?(?:www\\.|m\\.)?instagram\\.com/(?:[A-Za-z0-9._]{1,30}/)?(?:reels?|p|tv)/([^/?#]+)/?(?:[?#].*)?$");
  private static final Pattern POST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_INPUT = 2048;
  private static final Set<String> NOT_PROFILES = Set.of("p", "reel", "reels", "tv", "explore", "accounts",
      "stories", "direct", "about", "developer", "legal");

  private InstagramNames() {
  }

  /**
   * {@code name}, {@code @name}, {@code https://www.instagram.com/name/} or
   * {@code instagram.com/name?igsh=…} → {@code name} in lower case.
   *
   * @throws CodvidException BAD_REQUEST with a message for the user
   */
  public static String normalizeUsername(String input) {
    if (input == null || input.isBlank()) {
      throw CodvidException.badRequest("An Instagram username is required");
    }
    String s = input.strip();
    if (s.length() > MAX_INPUT) {
      throw CodvidException.badRequest("Invalid Instagram username: too long");
    }
    Matcher url = PROFILE_URL.matcher(s);
    if (url.matches()) {
      s = url.group(1);
      if (NOT_PROFILES.contains(s.toLowerCase(Locale.ROOT))) {
        throw CodvidException.badRequest("Invalid Instagram profile URL: expected https://www.instagram.com/<username>/");
      }
    } else if (s.contains("/") || s.contains(":")) {
      throw CodvidException.badRequest("Invalid Instagram profile URL: expected https://www.instagram.com/<username>/");
    }
    if (s.startsWith("@")) {
      s = s.substring(1);
    }
    if (!USERNAME.matcher(s).matches()) {
      throw CodvidException.badRequest(
          "Invalid Instagram username: use 1 to 30 letters, digits, '.' or '_'");
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * The id of a post or reel URL: {@code https://www.instagram.com/reel/ID/}, {@code /reels/ID},
   * {@code /p/ID} (also {@code /tv/ID} and {@code /<user>/reel/ID}), with or without
   * {@code www.}, scheme, trailing slash or query string.
   *
   * @throws CodvidException BAD_REQUEST with a message for the user
   */
  public static String reelId(String url) {
    if (url == null || url.isBlank()) {
      throw CodvidException.badRequest("An Instagram reel or post URL is required");
    }
    String s = url.strip();
    Matcher m = s.length() > MAX_INPUT ? null : POST_URL.matcher(s);
    if (m == null || !m.matches()) {
      throw CodvidException.badRequest(
          "Invalid Instagram reel URL: expected https://www.instagram.com/reel/<id>/ or /p/<id>/");
    }
    String id = m.group(1);
    if (!POST_ID.matcher(id).matches()) {
      throw CodvidException.badRequest("Invalid Instagram reel URL: the reel id is not valid");
    }
    return id;
  }

  /** {@code https://www.instagram.com/p/ID/}, the form Apify accepts for posts and reels alike. */
  public static String canonicalPostUrl(String id) {
    if (id == null || !POST_ID.matcher(id).matches()) {
      throw CodvidException.badRequest("Invalid Instagram post id");
    }
    return "https://www.instagram.com/p/" + id + "/";
  }

  /** The canonical URL of any accepted post or reel URL. */
  public static String canonicalPostUrlOf(String url) {
    return canonicalPostUrl(reelId(url));
  }
}
