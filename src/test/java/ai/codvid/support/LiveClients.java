package ai.codvid.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real WebSocket and Server-Sent-Events clients that collect what a node sends. */
public final class LiveClients {

  /** A connected WebSocket and the JSON messages it received so far. */
  public record Socket(WebSocket ws, List<JsonObject> messages, Future<Short> closed) {
  }

  /** Connects to {@code path} with the token in the Authorization header. */
  public static Future<Socket> webSocket(Vertx vertx, int port, String path, String token) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path);
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    return client.connect(options).map(ws -> {
      List<JsonObject> messages = new CopyOnWriteArrayList<>();
      Promise<Short> closed = Promise.promise();
      ws.textMessageHandler(text -> messages.add(new JsonObject(text)));
      ws.closeHandler(v -> {
        closed.tryComplete(ws.closeStatusCode());
        client.close();
      });
      return new Socket(ws, messages, closed.future());
    });
  }

  /** An open event stream and the events ({@code {event, data}}) it received so far. */
  public record Stream(List<JsonObject> events, Future<Void> ended, int status) {
  }

  public static Future<Stream> eventStream(Vertx vertx, int port, String path, String token) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path);
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    return client.request(options).compose(request -> request.send()).map(response -> {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      Promise<Void> ended = Promise.promise();
      StringBuilder buffer = new StringBuilder();
      response.handler(chunk -> {
        buffer.append(chunk.toString());
        int split;
        while ((split = buffer.indexOf("\n\n")) >= 0) {
          String block = buffer.substring(0, split);
          buffer.delete(0, split + 2);
          String event = null;
          StringBuilder data = new StringBuilder();
          for (String line : block.split("\n")) {
            if (line.startsWith("event: ")) {
              event = line.substring(7);
            } else if (line.startsWith("data: ")) {
              data.append(line.substring(6));
            }
          }
          if (event != null) {
            events.add(new JsonObject().put("event", event).put("data", new JsonObject(data.toString())));
          }
        }
      });
      response.endHandler(v -> {
        ended.tryComplete();
        client.close();
      });
      response.exceptionHandler(e -> ended.tryComplete());
      return new Stream(events, ended.future(), response.statusCode());
    });
  }

  private LiveClients() {
  }
}
