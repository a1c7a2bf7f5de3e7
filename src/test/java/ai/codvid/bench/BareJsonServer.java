package ai.codvid.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

/**
 * The ceiling {@code bench/load} compares the node with: a bare Vert.x HTTP server answering a
 * ~100-byte JSON object to every request, with as many event-loop instances as the node's
 * {@code http.instances} default (CPU cores). Usage: {@code BareJsonServer <port> [instances]}.
 */
public final class BareJsonServer extends VerticleBase {

  static final Buffer BODY = new JsonObject()
      .put("result", true)
      .put("response", new JsonObject().put("message", "hello from a bare Vert.x server").put("n", 42))
      .toBuffer();

  private final int port;

  BareJsonServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> request.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
            .end(BODY))
        .listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new BareJsonServer(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare JSON server on 127.0.0.1:" + port + ", " + instances + " instances, "
            + BODY.length() + "-byte body"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
