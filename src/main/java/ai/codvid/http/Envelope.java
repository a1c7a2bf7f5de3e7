package ai.codvid.http;

import ai.codvid.CodvidException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The request and response envelope of API.md.
 *
 * <p>Requests: {@code {"schema_version": "4.0", "data": {...}}}; no body or an empty body
 * means {@code data = {}}; on GET, query parameters fill in what {@code data} does not carry.
 * Responses: {@code {"result": true, "response": {...}}} or {@code {"result": false, "message": "..."}}.
 */
public final class Envelope {

  public static final String SCHEMA_VERSION = "4.0";
  private static final String DATA = "codvid.data";

  /** Parses the body envelope into {@link #data(RoutingContext)}; a bad envelope fails with 400. */
  public static Handler<RoutingContext> parser() {
    return ctx -> {
      try {
        ctx.put(DATA, parse(ctx.body().buffer(), ctx.request().method(), ctx.queryParams()));
        ctx.next();
      } catch (CodvidException e) {
        ctx.fail(e);
      }
    };
  }

  static JsonObject parse(Buffer body, HttpMethod method, MultiMap query) {
    JsonObject data = new JsonObject();
    if (body != null && !body.toString().isBlank()) {
      Object decoded;
      try {
        decoded = Json.decodeValue(body);
      } catch (DecodeException | IllegalArgumentException e) {
        throw CodvidException.badRequest("Invalid JSON request body");
      }
      if (!(decoded instanceof JsonObject envelope)) {
        throw CodvidException.badRequest("Invalid JSON request body: expected an object {\"schema_version\": \"4.0\", \"data\": {...}}");
      }
      Object version = envelope.getValue("schema_version");
      if (!SCHEMA_VERSION.equals(version)) {
        throw CodvidException.badRequest("Schema version mismatch. Expected " + SCHEMA_VERSION + ", got "
            + (version == null ? "None" : Json.encode(version).replaceAll("^\"|\"$", "")));
      }
      if (!envelope.containsKey("data")) {
        throw CodvidException.badRequest("Missing data field");
      }
      Object raw = envelope.getValue("data");
      if (raw == null) {
        data = new JsonObject();
      } else if (raw instanceof JsonObject object) {
        data = object;
      } else {
        throw CodvidException.badRequest("The data field must be a JSON object");
      }
    }
    if (method == HttpMethod.GET) {
      for (Map.Entry<String, String> param : query) {
        if (!data.containsKey(param.getKey())) {
          data.put(param.getKey(), param.getValue());
        }
      }
    }
    return data;
  }

  /** The request's {@code data} object (never null after {@link #parser()}). */
  public static JsonObject data(RoutingContext ctx) {
    JsonObject data = ctx.get(DATA);
    return data == null ? new JsonObject() : data;
  }

  /** 200 {@code {"result": true, "response": response}}. */
  public static void ok(RoutingContext ctx, JsonObject response) {
    send(ctx, 200, new JsonObject().put("result", true).put("response", response));
  }

  /** {@code {"result": true, ...fields}} with the given status (fields at the top level). */
  public static void okTop(RoutingContext ctx, int status, JsonObject fields) {
    send(ctx, status, new JsonObject().put("result", true).mergeIn(fields));
  }

  public static void failure(RoutingContext ctx, int status, String message) {
    send(ctx, status, new JsonObject().put("result", false).put("message", message));
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    sendEncoded(ctx, status, body.toBuffer());
  }

  static void sendEncoded(RoutingContext ctx, int status, Buffer body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(body);
  }

  /** The reason phrase of a status, for failures without a message of their own. */
  static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }

  private Envelope() {
  }
}
