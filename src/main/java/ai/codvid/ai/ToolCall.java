package ai.codvid.ai;

import io.vertx.core.json.JsonObject;

/** A function call the model asked for: its id, the function's name and its arguments as JSON text. */
public record ToolCall(String id, String name, String arguments) {

  /** The OpenAI wire shape inside an assistant message's {@code tool_calls}. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }
}
