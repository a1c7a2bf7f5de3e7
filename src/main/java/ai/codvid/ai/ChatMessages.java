package ai.codvid.ai;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * The entries of a project's {@code chats}. Every entry has {@code message_id}, {@code role},
 * {@code type}, {@code text} and {@code timestamp} (Unix epoch seconds); events also carry
 * {@code event_type}.
 * <ul>
 *   <li>user text: {@code role "user", type "text"}</li>
 *   <li>assistant text: {@code role "assistant", type "text"} (its text may grow by appends while it streams)</li>
 *   <li>events: {@code role "assistant", type "event"}, {@code event_type} one of
 *       {@value #LOADING}, {@value #INFO}, {@value #ERROR}, {@value #INTERRUPTED}</li>
 *   <li>tool calls: {@code role "tool", type "event", event_type "tool_calling"} with
 *       {@code name}, {@code tool_call_id}, {@code arguments} (the JSON text the model sent) and
 *       {@code result} (null until the tool answered)</li>
 * </ul>
 */
public final class ChatMessages {

  public static final String LOADING = "loading";
  public static final String TOOL_CALLING = "tool_calling";
  public static final String INFO = "info";
  public static final String ERROR = "error";
  public static final String INTERRUPTED = "interrupted";

  public static JsonObject user(String text) {
    return base("user", "text", text);
  }

  public static JsonObject assistant(String text) {
    return base("assistant", "text", text);
  }

  public static JsonObject event(String eventType, String text) {
    return base("assistant", "event", text).put("event_type", eventType);
  }

  public static JsonObject toolCall(ToolCall call, String text) {
    return base("tool", "event", text)
        .put("event_type", TOOL_CALLING)
        .put("name", call.name())
        .put("tool_call_id", call.id())
        .put("arguments", call.arguments())
        .put("result", null);
  }

  public static boolean isText(JsonObject message, String role) {
    return role.equals(message.getString("role")) && "text".equals(message.getString("type"));
  }

  private static JsonObject base(String role, String type, String text) {
    return new JsonObject()
        .put("message_id", UUID.randomUUID().toString())
        .put("role", role)
        .put("type", type)
        .put("text", text)
        .put("timestamp", Instant.now().getEpochSecond());
  }

  private ChatMessages() {
  }
}
