package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.ai.ChatService;
import ai.codvid.ai.ChunkSink;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * The AI chat: {@code POST /ai/respond} and {@code POST /ai/respond-stream-test}. Input and
 * project are checked, and the project's answer lock taken, before anything is streamed, so
 * those failures use the normal envelope (400 / 409); after that the answer is
 * newline-delimited JSON, one chunk per line, ending with a {@code result: false} line if it
 * fails midway.
 */
final class AiRoutes {

  static final int MAX_MESSAGE = 10_000;
  static final String NDJSON = "application/x-ndjson; charset=utf-8";

  private final ChatService chat;

  AiRoutes(ChatService chat) {
    this.chat = chat;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    router.route(Api.path("/ai/respond")).method(HttpMethod.POST).handler(authenticated).handler(this::respond);
    router.route(Api.path("/ai/respond-stream-test")).method(HttpMethod.POST).handler(authenticated).handler(this::streamTest);
  }

  private void respond(RoutingContext ctx) {
    String project;
    String text;
    try {
      JsonObject data = Envelope.data(ctx);
      project = ProjectRoutes.projectName(data);
      text = userText(data);
    } catch (CodvidException e) {
      ctx.fail(e);
      return;
    }
    stream(ctx, project, (answer, sink) -> answer.respond(text, sink));
  }

  private void streamTest(RoutingContext ctx) {
    String project;
    try {
      project = ProjectRoutes.projectName(Envelope.data(ctx));
    } catch (CodvidException e) {
      ctx.fail(e);
      return;
    }
    stream(ctx, project, ChatService.Answer::testStream);
  }

  private void stream(RoutingContext ctx, String project, BiFunction<ChatService.Answer, ChunkSink, Future<Void>> run) {
    chat.begin(Authenticated.userId(ctx), project).onFailure(ctx::fail).onSuccess(answer -> {
      HttpServerResponse response = ctx.response();
      if (response.closed()) {
        answer.abandon();
        return;
      }
      response.setStatusCode(200).setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, NDJSON)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      ResponseSink sink = new ResponseSink(response);
      response.closeHandler(v -> {
        if (!sink.ended) {
          answer.clientGone();
        }
      });
      run.apply(answer, sink);
    });
  }

  /** The message: an object with role "user", type "text" and 1–10,000 characters of text. */
  static String userText(JsonObject data) {
    if (data.getValue("message") == null) {
      throw CodvidException.badRequest("missing message!");
    }
    if (!(data.getValue("message") instanceof JsonObject message)) {
      throw CodvidException.badRequest("message must be an object {role: \"user\", type: \"text\", text}");
    }
    if (!"user".equals(message.getValue("role"))) {
      throw CodvidException.badRequest("message.role must be \"user\"");
    }
    if (!"text".equals(message.getValue("type"))) {
      throw CodvidException.badRequest("message.type must be \"text\"");
    }
    String text = Fields.optionalText(message, "text", MAX_MESSAGE);
    if (text == null || text.isBlank()) {
      throw CodvidException.badRequest("message.text must not be empty");
    }
    return text;
  }

  private static final class ResponseSink implements ChunkSink {
    private final HttpServerResponse response;
    private boolean ended;

    ResponseSink(HttpServerResponse response) {
      this.response = response;
    }

    @Override
    public void send(JsonObject chunk) {
      if (isOpen()) {
        response.write(chunk.encode() + "\n");
      }
    }

    @Override
    public boolean isOpen() {
      return !ended && !response.closed() && !response.ended();
    }

    @Override
    public void end(String failure) {
      if (!isOpen()) {
        return;
      }
      ended = true;
      if (failure != null) {
        response.write(new JsonObject().put("result", false).put("message", failure).encode() + "\n");
      }
      response.end();
    }
  }
}
