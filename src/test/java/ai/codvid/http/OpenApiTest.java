package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAPI description and the docs page")
class OpenApiTest {

  /**
   * Operations described before their route lands on this branch: the metrics endpoint is added
   * by another branch. Remove an entry once the server has the route.
   */
  private static final Set<String> OPERATION_KEYS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern ASSET = Pattern.compile("<(?:script|link)\\b[^>]*?(?:src|href)=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);

  private CodvidApp app;
  private ApiClient api;
  private ApiClient upgrades;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestNode.start(vertx, TestNode.config(TestNode.tempDir()))
        .onComplete(ctx.succeeding(started -> {
          app = started;
          api = new ApiClient(vertx, app.httpPort());
          upgrades = new ApiClient(vertx, app.httpPort(), true);
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    api.close();
    upgrades.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<JsonObject> document() {
    return api.get("/openapi.json", null).map(response -> {
      assertEquals(200, response.statusCode());
      assertTrue(response.getHeader("Content-Type").startsWith("application/json"), response.getHeader("Content-Type"));
      return response.bodyAsJsonObject();
    });
  }

  /** "GET /codvid-ai/x/{id}" for every route of the running node. */
  private Set<String> served() {
    Set<String> served = new TreeSet<>();
    for (HttpServerVerticle.Endpoint endpoint : app.routes()) {
      String path = endpoint.path().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      if (path.endsWith("*")) {
        path = path.substring(0, path.length() - 1) + "{file}";
      }
      served.add(endpoint.method().name() + " " + path);
    }
    return served;
  }

  private static Set<String> described(JsonObject document) {
    Set<String> described = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (OPERATION_KEYS.contains(key)) {
          described.add(key.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return described;
  }

  @Test
  @DisplayName("the served document is OpenAPI 3.1.0 JSON whose every $ref resolves inside it and whose operation ids are unique")
  void wellFormed(VertxTestContext ctx) {
    document().onComplete(ctx.succeeding(document -> ctx.verify(() -> {
      assertEquals("3.1.0", document.getString("openapi"));
      assertNotNull(document.getJsonObject("info").getString("title"));
      List<String> refs = new ArrayList<>();
      collectRefs(document, refs);
      assertTrue(refs.size() > 100, "expected the document to reuse components, found " + refs.size() + " $refs");
      for (String ref : refs) {
        assertTrue(ref.startsWith("#/"), "external $ref " + ref);
        assertNotNull(resolve(document, ref), "unresolved $ref " + ref);
      }
      Set<String> ids = new HashSet<>();
      JsonObject paths = document.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String key : paths.getJsonObject(path).fieldNames()) {
          if (OPERATION_KEYS.contains(key)) {
            String id = paths.getJsonObject(path).getJsonObject(key).getString("operationId");
            assertTrue(id != null && ids.add(id), "missing or repeated operationId at " + key + " " + path);
          }
        }
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("every route the server has is described with each of its methods")
  void everyRouteDescribed(VertxTestContext ctx) {
    document().onComplete(ctx.succeeding(document -> ctx.verify(() -> {
      Set<String> served = served();
      assertTrue(served.contains("GET /codvid-ai/ig-tracking/get_task_history/{id}"), served.toString());
      Set<String> missing = new TreeSet<>(served);
      missing.removeAll(described(document));
      assertEquals(Set.of(), missing, "served but not described");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("every described operation is a route of the server")
  void everyDescriptionServed(VertxTestContext ctx) {
    document().onComplete(ctx.succeeding(document -> ctx.verify(() -> {
      Set<String> extra = new TreeSet<>(described(document));
      extra.removeAll(served());
      assertEquals(Set.of(), extra, "described but not served");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("operations not marked public (security [] or an optional {}) refuse a request without a token with 401, and public ones do not")
  void securityMatchesTheServer(VertxTestContext ctx) {
    document().compose(document -> {
      JsonObject paths = document.getJsonObject("paths");
      List<Future<String>> mismatches = new ArrayList<>();
      for (String path : paths.fieldNames()) {
        for (String key : paths.getJsonObject(path).fieldNames()) {
          String endpoint = key.toUpperCase(Locale.ROOT) + " " + path;
          if (!OPERATION_KEYS.contains(key)) {
            continue;
          }
          JsonArray security = paths.getJsonObject(path).getJsonObject(key).getJsonArray("security");
          boolean isPublic = security != null
              && (security.isEmpty() || security.stream().anyMatch(s -> s instanceof JsonObject o && o.isEmpty()));
          String concrete = path.replace("{id}", "0000-not-a-task").replace("{file}", "codvid-docs.js");
          // a WebSocket handshake needs Connection: Upgrade, which only a keep-alive client sends
          var request = (path.contains("/ws") ? upgrades : api).request(HttpMethod.valueOf(key.toUpperCase(Locale.ROOT)), concrete, null);
          if (path.contains("/ws")) {
            request.putHeader("Upgrade", "websocket").putHeader("Connection", "Upgrade")
                .putHeader("Sec-WebSocket-Version", "13").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
          }
          mismatches.add(request.send().map(response -> (response.statusCode() == 401) == isPublic
              ? endpoint + (isPublic ? " is public but answered 401" : " needs a token but answered " + response.statusCode())
              : null));
        }
      }
      return Future.all(mismatches).map(all -> all.<String>list().stream().filter(m -> m != null).toList());
    }).onComplete(ctx.succeeding(mismatches -> ctx.verify(() -> {
      assertEquals(List.of(), mismatches);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("/docs serves an HTML page whose scripts and styles are same-origin files served with their content types, and no inline script")
  void docsPage(VertxTestContext ctx) {
    api.get("/docs", null).compose(page -> {
      ctx.verify(() -> {
        assertEquals(200, page.statusCode());
        assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
        assertFalse(INLINE_SCRIPT.matcher(page.bodyAsString()).find(), "inline <script> in the docs page");
      });
      List<String> assets = new ArrayList<>();
      Matcher matcher = ASSET.matcher(page.bodyAsString());
      while (matcher.find()) {
        assets.add(matcher.group(1));
      }
      ctx.verify(() -> {
        assertTrue(assets.stream().anyMatch(a -> a.endsWith("swagger-ui-bundle.js")), assets.toString());
        assertTrue(assets.stream().anyMatch(a -> a.endsWith("swagger-ui.css")), assets.toString());
        for (String asset : assets) {
          assertTrue(asset.startsWith("/") && !asset.startsWith("//") && !asset.contains(":"), "not same-origin: " + asset);
        }
      });
      List<Future<HttpResponse<Buffer>>> loads = new ArrayList<>();
      for (String asset : assets) {
        loads.add(api.get(asset, null).map(response -> {
          ctx.verify(() -> {
            assertEquals(200, response.statusCode(), asset);
            String type = response.getHeader("Content-Type");
            if (asset.endsWith(".js")) {
              assertTrue(type.contains("javascript"), asset + " served as " + type);
            } else if (asset.endsWith(".css")) {
              assertTrue(type.startsWith("text/css"), asset + " served as " + type);
            }
            assertTrue(response.body().length() > 0, asset);
          });
          return response;
        }));
      }
      return Future.all(loads).compose(v -> api.get("/docs/codvid-docs.js", null));
    }).onComplete(ctx.succeeding(initializer -> ctx.verify(() -> {
      assertTrue(initializer.bodyAsString().contains("/codvid-ai/openapi.json"), "the initializer loads our description");
      ctx.completeNow();
    })));
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        Object value = object.getValue(key);
        if (key.equals("$ref") && value instanceof String ref) {
          refs.add(ref);
        } else {
          collectRefs(value, refs);
        }
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> collectRefs(item, refs));
    }
  }

  /** Follows a local JSON pointer ({@code #/components/schemas/Task}); null when it leads nowhere. */
  private static Object resolve(JsonObject document, String ref) {
    Object node = document;
    for (String token : ref.substring(2).split("/")) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject object && object.containsKey(key)) {
        node = object.getValue(key);
      } else {
        return null;
      }
    }
    return node;
  }
}
