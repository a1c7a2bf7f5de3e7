package ai.codvid.ai;

import java.util.List;

/** What one streamed call produced: the text, the tool calls (merged from their fragments) and why it stopped. */
public record Completion(String content, List<ToolCall> toolCalls, String finishReason) {
}
