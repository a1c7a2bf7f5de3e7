package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading an OpenAI server-sent event stream")
class SseParsingTest {

  @Test
  @DisplayName("events split anywhere between network chunks (CRLF, a UTF-8 character cut in two, comments, multi-line data) arrive whole")
  void splitChunks() {
    List<String> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add);
    byte[] bytes = (": keep-alive\r\n\r\ndata: {\"a\":\"é🎬\"}\r\n\r\ndata: first\ndata: second\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      parser.write(Buffer.buffer(new byte[] {b}));
    }
    parser.end();
    assertEquals(List.of("{\"a\":\"é🎬\"}", "first\nsecond", "[DONE]"), events);
  }

  @Test
  @DisplayName("content deltas stream in order and tool_call fragments are merged by index into whole calls")
  void toolCallFragments() {
    List<String> text = new ArrayList<>();
    OpenAiCompatibleClient.Accumulator acc = new OpenAiCompatibleClient.Accumulator(text::add);
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me \"},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"check.\"},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"compare_profiles\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"list_reel_tasks\",\"arguments\":\"{\"}}]},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"profile_a\\\":\\\"a\\\",\"}}]},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"profile_b\\\":\\\"b\\\"}\"}}]},\"finish_reason\":null}]}");
    acc.event("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    acc.event("[DONE]");
    Completion completion = acc.completion();
    assertEquals(List.of("Let me ", "check."), text);
    assertEquals("Let me check.", completion.content());
    assertEquals("tool_calls", completion.finishReason());
    assertEquals(List.of(new ToolCall("call_1", "list_reel_tasks", "{}"),
        new ToolCall("call_2", "compare_profiles", "{\"profile_a\":\"a\",\"profile_b\":\"b\"}")), completion.toolCalls());
  }

  @Test
  @DisplayName("only the error type of a provider error body is ever shown, never its message")
  void errorType() {
    assertEquals(" rate_limit_exceeded", OpenAiCompatibleClient.errorType(
        "{\"error\":{\"message\":\"key sk-123 over quota\",\"type\":\"rate_limit_exceeded\"}}"));
    assertEquals("", OpenAiCompatibleClient.errorType("{\"error\":{\"message\":\"x\",\"type\":\"has spaces and sk-123\"}}"));
    assertEquals("", OpenAiCompatibleClient.errorType("<html>bad gateway</html>"));
    assertTrue(OpenAiCompatibleClient.errorType("{\"error\":{\"code\":\"insufficient_quota\"}}").contains("insufficient_quota"));
  }
}
