package ai.codvid.ai;

import ai.codvid.config.AppConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * How much chat a project keeps, and how the answer's text is streamed; the {@code chat.*} keys
 * (each overridable by its {@code CODVID_CHAT_*} environment variable).
 *
 * @param maxMessages {@code chat.max_messages} (default 500): messages an answer may start from
 *     (the stored chat plus the new message)
 * @param maxChars {@code chat.max_chars} (default 500,000): the same, in characters: the length of
 *     each message's JSON text, summed (at least 25,000, so a 10,000-character message always fits)
 * @param whenFull {@code chat.when_full}: {@code trim_oldest} (default) removes the oldest
 *     messages until the answer's starting chat fits, and tells the client with {@code del}
 *     mods; {@code refuse} answers 409 before anything streams and keeps the whole history
 * @param textEditIntervalMillis {@code chat.text_edit_interval_ms} (default 100): least time between
 *     two {@code edit}s of a streaming text (its first piece is sent at once); the text that
 *     arrives meanwhile joins the next edit
 */
public record ChatOptions(int maxMessages, int maxChars, WhenFull whenFull, long textEditIntervalMillis) {

  public static final int MIN_CHARS = 25_000;

  /** What happens when an answer would start from a chat over the cap. */
  public enum WhenFull {
    TRIM_OLDEST, REFUSE;

    static WhenFull of(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("chat.when_full must be trim_oldest or refuse, got '" + value + "'");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ChatOptions {
    require(maxMessages >= 2, "chat.max_messages must be at least 2");
    require(maxChars >= MIN_CHARS, "chat.max_chars must be at least " + MIN_CHARS);
    require(whenFull != null, "chat.when_full must be set");
    require(textEditIntervalMillis >= 0, "chat.text_edit_interval_ms must not be negative");
  }

  /**
   * How many of the oldest messages must go for {@code chat} (the chat an answer would start
   * from) to hold at most {@link #maxMessages} messages and {@link #maxChars} characters; 0 when
   * it fits. The newest message is never counted out.
   */
  public int overflow(List<JsonObject> chat) {
    long chars = 0;
    long[] sizes = new long[chat.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = chars(chat.get(i));
      chars += sizes[i];
    }
    int remove = 0;
    while (remove < sizes.length - 1 && (sizes.length - remove > maxMessages || chars > maxChars)) {
      chars -= sizes[remove++];
    }
    return remove;
  }

  /** The characters a message counts for: the length of its JSON text. */
  public static long chars(JsonObject message) {
    return message.encode().length();
  }

  public static ChatOptions defaults() {
    return new ChatOptions(500, 500_000, WhenFull.TRIM_OLDEST, 100);
  }

  public static ChatOptions from(AppConfig config) {
    ChatOptions d = defaults();
    return new ChatOptions(
        config.integer("chat.max_messages", d.maxMessages()),
        config.integer("chat.max_chars", d.maxChars()),
        WhenFull.of(config.string("chat.when_full", d.whenFull().toString())),
        config.longValue("chat.text_edit_interval_ms", d.textEditIntervalMillis()));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
