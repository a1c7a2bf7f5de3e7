package ai.codvid.sentiment;

/**
 * Makes any input safe to analyse: null becomes empty, lone surrogates become U+FFFD, control
 * characters become spaces, and only the first {@value #MAX_CHARS} chars are read (a comment's
 * sentiment is settled long before that; a surrogate pair is never cut).
 */
final class CommentText {

  static final int MAX_CHARS = 2_000;

  static String clean(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    int end = Math.min(raw.length(), MAX_CHARS);
    if (end < raw.length() && Character.isHighSurrogate(raw.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = raw.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < end && Character.isLowSurrogate(raw.charAt(i + 1))) {
          out.append(c).append(raw.charAt(++i));
        } else {
          out.append('\uFFFD');
        }
      } else if (Character.isLowSurrogate(c)) {
        out.append('\uFFFD');
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    return out.toString().strip();
  }

  private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
  private static final java.util.regex.Pattern MENTION = java.util.regex.Pattern.compile("@[\\p{L}\\p{N}_.]+");

  /** A cleaned text as the sentence encoder reads it: links become "http", handles "@user" (as in its tweets). */
  static String forEncoder(String clean) {
    String s = URL.matcher(clean).replaceAll("http");
    return MENTION.matcher(s).replaceAll("@user");
  }

  /** Instagram handles (letters, digits, _ and .) as one "@user" token, as in the training tweets. */
  static String withoutHandles(String clean) {
    return MENTION.matcher(clean).replaceAll("@user");
  }

  private CommentText() {
  }
}
