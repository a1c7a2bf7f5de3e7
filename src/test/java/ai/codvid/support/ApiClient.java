package ai.codvid.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A plain HTTP client of the API, as a real client would use it (envelope, bearer token). */
public final class ApiClient {

  private final WebClient client;

  public ApiClient(Vertx vertx, int port) {
    this(vertx, port, false);
  }

  /** With {@code keepAlive}, connections are reused as a long-lived client would (benchmarks). */
  public ApiClient(Vertx vertx, int port, boolean keepAlive) {
    this(vertx, port, keepAlive, null);
  }

  /**
   * A client whose connections leave from {@code localAddress} (e.g. {@code 127.0.0.2}), so one
   * test can play clients at different addresses on loopback.
   */
  public static ApiClient from(Vertx vertx, int port, String localAddress) {
    return new ApiClient(vertx, port, false, localAddress);
  }

  private ApiClient(Vertx vertx, int port, boolean keepAlive, String localAddress) {
    WebClientOptions options = new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(keepAlive);
    if (localAddress != null) {
      options.setLocalAddress(localAddress);
    }
    this.client = WebClient.create(vertx, options);
  }

  public static JsonObject envelope(JsonObject data) {
    return new JsonObject().put("schema_version", "4.0").put("data", data);
  }

  /** Sends {@code {"schema_version": "4.0", "data": data}} (no body when data is null). */
  public Future<HttpResponse<Buffer>> call(HttpMethod method, String path, String token, JsonObject data) {
    HttpRequest<Buffer> request = request(method, path, token);
    return data == null ? request.send() : request.sendJsonObject(envelope(data));
  }

  /** Sends a raw body as it is. */
  public Future<HttpResponse<Buffer>> raw(HttpMethod method, String path, String token, String body) {
    HttpRequest<Buffer> request = request(method, path, token).putHeader("Content-Type", "application/json");
    return body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, path.startsWith("/codvid-ai") ? path : "/codvid-ai" + path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request;
  }

  public Future<HttpResponse<Buffer>> post(String path, String token, JsonObject data) {
    return call(HttpMethod.POST, path, token, data);
  }

  public Future<HttpResponse<Buffer>> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  /** Signs up a new user and answers their token. */
  public Future<String> signup(String email, String password) {
    return post("/auth/signup", null, new JsonObject().put("auth_type", "email").put("email", email).put("password", password))
        .map(response -> {
          if (response.statusCode() != 201) {
            throw new IllegalStateException("signup failed: " + response.statusCode() + " " + response.bodyAsString());
          }
          return response.bodyAsJsonObject().getString("token");
        });
  }

  /**
   * Forces a scrape of a task and follows task_status until that run (by its {@code run_id}) has
   * ended; answers its final status ({@code status} is "completed" or "failed").
   */
  public Future<JsonObject> scrapeToEnd(Vertx vertx, String token, String taskId) {
    return post("/ig-tracking/force_scrape/" + taskId, token, null).compose(started -> {
      if (started.statusCode() != 200) {
        return Future.failedFuture(new IllegalStateException("force_scrape: " + started.statusCode() + " " + started.bodyAsString()));
      }
      String runId = started.bodyAsJsonObject().getString("run_id");
      return Polling.until(vertx, 30, 30_000, () -> get("/ig-tracking/task_status/" + taskId, token).map(r -> {
        JsonObject s = r.bodyAsJsonObject().getJsonObject("response");
        return s != null && !s.getBoolean("is_processing") && runId.equals(s.getString("run_id")) ? s : null;
      }));
    });
  }

  public void close() {
    client.close();
  }
}
