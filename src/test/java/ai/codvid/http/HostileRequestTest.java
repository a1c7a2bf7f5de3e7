package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests found by {@code bench/fuzz} that got a 500, a bare text answer or no answer at all.
 * Each is sent byte for byte over a raw connection, as the fuzzer sent it.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Hostile requests get the JSON envelope, never a 500 or silence")
class HostileRequestTest {

  private CodvidApp app;
  private ApiClient api;
  private NetClient net;
  private String token;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    net = vertx.createNetClient();
    TestNode.start(vertx, TestNode.config(TestNode.tempDir()))
        .compose(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          return api.signup("hostile@example.com", "test-password-1");
        })
        .onComplete(ctx.succeeding(t -> {
          token = t;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    net.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  /** A raw HTTP/1.1 exchange: status, headers and body of the first answer, within 5 s. */
  record Answer(int status, String head, String body) {
  }

  private Future<Answer> send(String request, byte[] body) {
    Promise<Answer> answer = Promise.promise();
    net.connect(app.httpPort(), "127.0.0.1").onFailure(answer::fail).onSuccess(socket -> {
      Buffer received = Buffer.buffer();
      socket.handler(chunk -> {
        received.appendBuffer(chunk);
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        String head = text.substring(0, end);
        int length = contentLength(head);
        if (length >= 0 && received.length() >= end + 4 + length) {
          String content = received.getBuffer(end + 4, end + 4 + length).toString(StandardCharsets.UTF_8);
          answer.tryComplete(new Answer(Integer.parseInt(head.split(" ")[1]), head, content));
          socket.close();
        }
      });
      socket.closeHandler(v -> answer.tryFail("connection closed without a complete answer: " + received));
      Buffer out = Buffer.buffer(request.replace("\n", "\r\n"), "ISO-8859-1");
      if (body != null) {
        out.appendBytes(body);
      }
      socket.write(out);
    });
    return answer.future().timeout(5, TimeUnit.SECONDS);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }

  private static void assertEnvelope(Answer answer, int status, String message) {
    assertEquals(status, answer.status(), answer.head() + "\n" + answer.body());
    JsonObject body = new JsonObject(answer.body());
    assertEquals(false, body.getBoolean("result"));
    if (message != null) {
      assertEquals(message, body.getString("message"));
    }
    assertFalse(answer.body().contains("Exception"), answer.body());
  }

  @Test
  @DisplayName("a form content type on a GET is read as a JSON body (it was a 500: Vert.x refuses to decode forms on GET)")
  void formOnGet(VertxTestContext ctx) {
    send("GET /codvid-ai/ig-tracking/get_tasks HTTP/1.1\nHost: x\nAuthorization: Bearer " + token
        + "\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 7\n\n", "a=1&b=2".getBytes())
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEnvelope(answer, 400, "Invalid JSON request body");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a bad percent-escape in a form body answers 400 (it was a 500)")
  void badEscapeInFormBody(VertxTestContext ctx) {
    send("POST /codvid-ai/ping HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 5\n\n",
        "a=%ZZ".getBytes())
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEnvelope(answer, 400, "Invalid JSON request body");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a form POST with a bad percent-escape in the query string is answered (it was never answered)")
  void badEscapeInQueryOfFormPost(VertxTestContext ctx) {
    send("POST /codvid-ai/ig-tracking/create_reel_task?limit=%ZZ HTTP/1.1\nHost: x\nAuthorization: Bearer " + token
        + "\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 7\n\n", "a=1&b=2".getBytes())
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEnvelope(answer, 400, null);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a JSON body sent with curl's default form content type still works")
  void jsonBodyWithFormContentType(VertxTestContext ctx) {
    byte[] body = "{\"schema_version\": \"4.0\", \"data\": {\"project_name\": \"100% real\"}}".getBytes(StandardCharsets.UTF_8);
    send("POST /codvid-ai/project/create-project HTTP/1.1\nHost: x\nAuthorization: Bearer " + token
        + "\nContent-Type: application/x-www-form-urlencoded\nContent-Length: " + body.length + "\n\n", body)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEquals(200, answer.status(), answer.body());
          assertEquals(true, new JsonObject(answer.body()).getBoolean("result"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a bad percent-escape in the path answers the 400 envelope (it was a bare 'Bad Request')")
  void badEscapeInPath(VertxTestContext ctx) {
    send("GET /codvid-ai/ig-tracking/get_task/%ZZ HTTP/1.1\nHost: x\nAuthorization: Bearer " + token + "\n\n", null)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEnvelope(answer, 400, "Bad request");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a request line over 4 KiB answers 414 and headers over 8 KiB 431, both as the envelope (they had no body)")
  void oversizedRequestLineAndHeaders(VertxTestContext ctx) {
    Future.all(
            send("GET /codvid-ai/ig-tracking/get_task/" + "x".repeat(5000) + " HTTP/1.1\nHost: x\n\n", null),
            send("GET /codvid-ai/ping HTTP/1.1\nHost: x\nAuthorization: Bearer " + "A".repeat(10_000) + "\n\n", null))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEnvelope(all.resultAt(0), 414, "Request line too long");
          assertEnvelope(all.resultAt(1), 431, "Request headers too large");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an origin the CORS handler rejects answers 403 (it was a 500)")
  void rejectedOrigin(VertxTestContext ctx) {
    send("GET /codvid-ai/ping HTTP/1.1\nHost: x\nOrigin: '; --\n\n", null)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEnvelope(answer, 403, "Forbidden");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a WebSocket upgrade without a key answers 400 and one with an unknown version 426, as the envelope")
  void badWebSocketHandshakes(VertxTestContext ctx) {
    String upgrade = "GET /codvid-ai/ws HTTP/1.1\nHost: x\nAuthorization: Bearer " + token + "\nUpgrade: websocket\nConnection: Upgrade\n";
    Future.all(
            send(upgrade + "Sec-WebSocket-Version: 13\n\n", null),
            send(upgrade + "Sec-WebSocket-Version: x\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n\n", null))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEnvelope(all.resultAt(0), 400, null);
          Answer version = all.resultAt(1);
          assertEnvelope(version, 426, "Unsupported WebSocket version: use 13");
          assertTrue(version.head().contains("Sec-WebSocket-Version: 13"), version.head());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an h2c upgrade request is served as HTTP/1.1 (it got a bodiless 400 on a connection left open)")
  void h2cUpgrade(VertxTestContext ctx) {
    send("GET /codvid-ai/ping HTTP/1.1\nHost: x\nUpgrade: h2c\nConnection: Upgrade\n\n", null)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertEquals(200, answer.status(), answer.head());
          assertEquals("pong", new JsonObject(answer.body()).getString("message"));
          ctx.completeNow();
        })));
  }
}
