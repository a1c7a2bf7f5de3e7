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

/**
 * The AI chat: {@code POST /ai/respond} and {@code POST /ai/respond-stream-test}. Input, project,
 * the chat's cap and the project's answer lock are checked before anything is streamed, so
 * those failures use the normal envelope (400 / 409); after that the answer is
 * newline-delimited JSON, one data_mods chunk per line (and per HTTP chunk, as the original
 * clients parse each HTTP chunk as one JSON document), ending with a {@code result: false} line
 * if it fails midway.
 */
final class AiRoutes {

  static final int MAX_MESSAGE = 10_000;
  static final String NDJSON = "application/x-ndjson; charset=utf-8";
  static final String MESSAGE_SHAPE = "message must be a string or an object {role: \"user\", type: \"text\", text}";
  static final String BLANK = "message.text must not be blank (send an empty text to answer again without a new message)";
  static final String ONLY_STREAMED = "stream must be true: answers are always streamed";

  private final ChatService chat;

  AiRoutes(ChatService chat) {
    this.chat = chat;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    router.route(Api.path("/ai/respond")).method(HttpMethod.POST).handler(authenticated).handler(this::respond);
    router.route(Api.path("/ai/respond-stream-test")).method(HttpMethod.POST).handler(authenticated).handler(this::streamTest);
  }

  private void respond(RoutingContext ctx) {
    ChatService.ProjectRef project;
    String text;
    try {
      JsonObject data = Envelope.data(ctx);
      project = project(data);
      text = userText(data);
      if (!Fields.optionalBoolean(data, "stream", true)) {
        throw CodvidException.badRequest(ONLY_STREAMED);
      }
    } catch (CodvidException e) {
      ctx.fail(e);
      return;
    }
    stream(ctx, chat.beginAnswer(Authenticated.userId(ctx), project, text));
  }

  /** Any body: with a {@code project_name} a test answer in that project's chat, without one a stream that touches no project. */
  private void streamTest(RoutingContext ctx) {
    ChatService.ProjectRef project;
    try {
      JsonObject data = Envelope.data(ctx);
      project = data.getValue("project_name") == null ? null : project(data);
    } catch (CodvidException e) {
      ctx.fail(e);
      return;
    }
    if (project == null) {
      ChunkSink sink = open(ctx.response());
      chat.testStreamWithoutProject(sink);
      return;
    }
    stream(ctx, chat.beginTest(Authenticated.userId(ctx), project));
  }

  private static ChatService.ProjectRef project(JsonObject data) {
    return new ChatService.ProjectRef(ProjectRoutes.projectName(data), data.getString("project_name"));
  }

  private void stream(RoutingContext ctx, Future<ChatService.Answer> begun) {
    begun.onFailure(ctx::fail).onSuccess(answer -> {
      HttpServerResponse response = ctx.response();
      if (response.closed()) {
        answer.abandon();
        return;
      }
      ResponseSink sink = open(response);
      response.closeHandler(v -> {
        if (!sink.ended) {
          answer.clientGone();
        }
      });
      answer.run(sink);
    });
  }

  private static ResponseSink open(HttpServerResponse response) {
    response.setStatusCode(200).setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, NDJSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    return new ResponseSink(response);
  }

  /**
   * The user's text: {@code message} as an object with role "user", type "text" and a text, or
   * as a plain string; at most 10,000 characters, no control characters but newline and tab.
   * An empty text ({@code ""}) means: answer again from the existing chat, without a new message.
   */
  static String userText(JsonObject data) {
    Object raw = data.getValue("message");
    if (raw == null) {
      throw CodvidException.badRequest("missing message!");
    }
    String text;
    if (raw instanceof String) {
      text = Fields.optionalText(data, "message", MAX_MESSAGE);
    } else if (raw instanceof JsonObject message) {
      if (!"user".equals(message.getValue("role"))) {
        throw CodvidException.badRequest("message.role must be \"user\"");
      }
      if (!"text".equals(message.getValue("type"))) {
        throw CodvidException.badRequest("message.type must be \"text\"");
      }
      text = Fields.optionalText(message, "text", MAX_MESSAGE);
      if (text == null) {
        throw CodvidException.badRequest("missing message.text!");
      }
    } else {
      throw CodvidException.badRequest(MESSAGE_SHAPE);
    }
    if (!text.isEmpty() && text.isBlank()) {
      throw CodvidException.badRequest(BLANK);
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
