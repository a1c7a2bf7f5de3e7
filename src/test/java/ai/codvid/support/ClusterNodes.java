package ai.codvid.support;

import ai.codvid.CodvidApp;
import ai.codvid.config.AppConfig;
import ai.codvid.store.StoreCredentials;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Real clustered nodes in this JVM, each with its own clustered Vert.x (Hazelcast on loopback),
 * joined in a cluster of a fresh name so tests never meet another cluster. The first node serves
 * the embedded store on a fixed loopback port; the others use it as their MongoDB.
 */
public final class ClusterNodes {

  public final String clusterName = "codvid-test-" + UUID.randomUUID();
  public final int storePort = freePort();
  /** The password node 0 serves its embedded store with; the others connect with it. */
  public final String storePassword = "cluster-" + UUID.randomUUID();
  public final List<CodvidApp> nodes = new ArrayList<>();

  /** The config of node {@code index} (0 serves the store). */
  public JsonObject config(int index) {
    JsonObject config = TestNode.config(TestNode.tempDir())
        .put("clustered", true)
        .put("cluster", new JsonObject().put("name", clusterName));
    if (index == 0) {
      config.put("embedded_mongo", new JsonObject().put("port", storePort).put("password", storePassword));
    } else {
      config.put("mongo", new JsonObject().put("uri", storeUri()));
    }
    return config;
  }

  /** The connection string of node 0's embedded store, credentials included. */
  public String storeUri() {
    return StoreCredentials.uri(storePassword, storePort);
  }

  /** Starts {@code count} nodes one after the other; {@code tune} adjusts each node's config. */
  public Future<List<CodvidApp>> start(int count, java.util.function.BiFunction<Integer, JsonObject, JsonObject> tune) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      int index = i;
      chain = chain.compose(v -> CodvidApp.start(AppConfig.of(tune.apply(index, config(index))))
          .map(app -> {
            nodes.add(app);
            return null;
          }));
    }
    return chain.map(v -> nodes);
  }

  public Future<List<CodvidApp>> start(int count, UnaryOperator<JsonObject> tune) {
    return start(count, (i, c) -> tune.apply(c));
  }

  /** Closes the nodes in reverse order (the store's node last). */
  public Future<Void> close() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      CodvidApp node = nodes.get(i);
      chain = chain.compose(v -> node.close().recover(e -> Future.succeededFuture()));
    }
    return chain;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
