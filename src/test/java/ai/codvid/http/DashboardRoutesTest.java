package ai.codvid.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidApp;
import ai.codvid.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the node serves the dashboard's files, without a browser: redirects, content types, the
 * policy headers, the module graph, no inline code, no path tricks, and the documented hooks.
 * (DashboardBrowserTest runs the page itself in Chromium.)
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The dashboard's files and headers")
class DashboardRoutesTest {

  /** The data-testid hooks issue 17 names, each documented in docs/dashboard.md. */
  static final List<String> HOOKS = List.of("login-email", "login-password", "login-submit", "signup-submit", "logout",
      "add-profile-input", "add-profile-competitor", "add-profile-submit", "task-row", "force-scrape", "progress",
      "chart-followers", "chart-engagement", "chart-sentiment", "comment-row", "benchmark-table", "alert-row",
      "chat-input", "chat-send", "chat-message", "error-banner");

  private static final Path APP = Path.of("src/main/resources/app");
  private static final String LISTED_ORIGIN = "https://dashboard.example";
  private static final Pattern ASSET = Pattern.compile("<(?:script|link)\\b[^>]*?(?:src|href)=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*(?:import|export)\\b[^'\"]*?from\\s+'([^']+)'|^\\s*import\\s+'([^']+)'");
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
  private static final Pattern INLINE_STYLE = Pattern.compile("<style\\b|\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
  private static final List<String> UNSAFE_JS = List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
      "eval(", "new Function", "setAttribute('style'", "localStorage.setItem");

  private CodvidApp app;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = TestNode.config(TestNode.tempDir());
    config.getJsonObject("http").put("cors_origins", LISTED_ORIGIN);
    TestNode.start(vertx, config)
        .onComplete(ctx.succeeding(started -> {
          app = started;
          client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort())
              .setFollowRedirects(false));
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    client.close();
    app.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return client.request(HttpMethod.GET, path).send();
  }

  @Test
  @DisplayName("/ and /codvid-ai/app redirect to the page, /codvid-ai/app/")
  void redirects(VertxTestContext ctx) {
    Future.all(get("/"), get("/codvid-ai/app")).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> response = all.resultAt(i);
        assertEquals(302, response.statusCode());
        assertEquals("/codvid-ai/app/", response.getHeader("Location"));
      }
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("the page is HTML under the dashboard's CSP (script-src 'self', no inline anything), not cached, with no inline script, style or handler")
  void page(VertxTestContext ctx) {
    get("/codvid-ai/app/").onComplete(ctx.succeeding(page -> ctx.verify(() -> {
      assertEquals(200, page.statusCode());
      assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
      assertEquals(SecurityHeaders.APP_POLICY, page.getHeader("Content-Security-Policy"));
      String policy = page.getHeader("Content-Security-Policy");
      assertTrue(policy.contains("script-src 'self';") && policy.contains("style-src 'self';") && !policy.contains("unsafe"), policy);
      assertEquals("no-store", page.getHeader("Cache-Control"));
      assertEquals("DENY", page.getHeader("X-Frame-Options"));
      String html = page.bodyAsString();
      assertFalse(INLINE_SCRIPT.matcher(html).find(), "inline <script>");
      assertFalse(INLINE_HANDLER.matcher(html).find(), "inline event handler");
      assertFalse(INLINE_STYLE.matcher(html).find(), "inline style");
      assertTrue(html.contains("data-testid=\"error-banner\""));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("every script, style and module import of the page is a same-origin file served with its content type")
  void moduleGraph(VertxTestContext ctx) {
    get("/codvid-ai/app/").compose(page -> {
      Set<String> assets = new LinkedHashSet<>();
      Matcher matcher = ASSET.matcher(page.bodyAsString());
      while (matcher.find()) {
        assets.add(matcher.group(1));
      }
      ctx.verify(() -> {
        assertTrue(assets.contains("/codvid-ai/app/js/main.js"), assets.toString());
        assertTrue(assets.contains("/codvid-ai/app/vendor/uplot/1.6.30/dist/uPlot.min.css"), assets.toString());
        assertTrue(assets.contains("/codvid-ai/app/vendor/uplot/1.6.30/dist/uPlot.iife.min.js"), assets.toString());
      });
      return fetchAll(ctx, new ArrayList<>(assets), new TreeSet<>());
    }).onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
      assertTrue(seen.contains("/codvid-ai/app/js/pages/alerts.js"), seen.toString());
      ctx.completeNow();
    })));
  }

  /** Fetches the files one by one, following each JS module's imports; answers every path seen. */
  private Future<Set<String>> fetchAll(VertxTestContext ctx, List<String> queue, Set<String> seen) {
    if (queue.isEmpty()) {
      return Future.succeededFuture(seen);
    }
    String path = queue.remove(0);
    if (!seen.add(path)) {
      return fetchAll(ctx, queue, seen);
    }
    return get(path).compose(response -> {
      ctx.verify(() -> {
        assertTrue(path.startsWith("/codvid-ai/app/"), "not same-origin under the app: " + path);
        assertEquals(200, response.statusCode(), path);
        String type = response.getHeader("Content-Type");
        if (path.endsWith(".js")) {
          assertTrue(type.contains("javascript"), path + " served as " + type);
        } else if (path.endsWith(".css")) {
          assertTrue(type.startsWith("text/css"), path + " served as " + type);
        } else if (path.endsWith(".svg")) {
          assertTrue(type.startsWith("image/svg+xml"), path + " served as " + type);
        }
        assertEquals(SecurityHeaders.APP_POLICY, response.getHeader("Content-Security-Policy"), path);
        assertEquals(path.startsWith("/codvid-ai/app/vendor/") ? "public, max-age=31536000, immutable" : "no-store",
            response.getHeader("Cache-Control"), path + ": own files never stale, the versioned library cached");
      });
      if (path.endsWith(".js")) {
        Matcher imports = IMPORT.matcher(response.bodyAsString());
        while (imports.find()) {
          String spec = imports.group(1) != null ? imports.group(1) : imports.group(2);
          ctx.verify(() -> assertTrue(spec.startsWith("./") || spec.startsWith("../"), path + " imports " + spec + " (bare or absolute)"));
          queue.add(URI.create(path).resolve(spec).getPath());
        }
      }
      return fetchAll(ctx, queue, seen);
    });
  }

  @Test
  @DisplayName("uPlot comes from its webjar at the version the page names (the pom's), with its MIT licence")
  void chartLibrary(VertxTestContext ctx) {
    Future.all(get("/codvid-ai/app/vendor/uplot/1.6.30/LICENSE"), get("/codvid-ai/app/vendor/uplot/1.6.30/package.json"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> licence = all.resultAt(0);
          assertEquals(200, licence.statusCode());
          assertTrue(licence.bodyAsString().contains("The MIT License"), licence.bodyAsString());
          HttpResponse<Buffer> pkg = all.resultAt(1);
          assertEquals(200, pkg.statusCode());
          assertEquals("1.6.30", pkg.bodyAsJsonObject().getString("version"), "index.html names the pom's version");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("unknown files and dot-dot tricks answer the 404 envelope, never a file outside the app")
  void noEscape(VertxTestContext ctx) {
    List<String> paths = List.of("/codvid-ai/app/nope.js", "/codvid-ai/app/%2e%2e/openapi/openapi.json",
        "/codvid-ai/app/..%2f..%2fconf/config.json", "/codvid-ai/app/vendor/uplot/%2e%2e/%2e%2e/%2e%2e/conf/config.json",
        "/codvid-ai/app/.hidden", "/codvid-ai/app/js/");
    List<Future<HttpResponse<Buffer>>> all = paths.stream().map(this::get).toList();
    Future.join(all).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      for (int i = 0; i < paths.size(); i++) {
        HttpResponse<Buffer> response = all.get(i).result();
        assertTrue(response.statusCode() == 404 || response.statusCode() == 400, paths.get(i) + " → " + response.statusCode());
        String body = response.bodyAsString();
        assertTrue(body.startsWith("{\"result\":false"), paths.get(i) + " → " + body);
        assertFalse(body.contains("mongo") || body.contains("openapi\":"), paths.get(i) + " leaked " + body);
      }
      ctx.completeNow();
    })));
  }

  private Future<HttpResponse<Buffer>> login(String origin) {
    return client.request(HttpMethod.POST, "/codvid-ai/auth/login").putHeader("Origin", origin)
        .sendJsonObject(new JsonObject().put("schema_version", "4.0").put("data", new JsonObject()
            .put("auth_type", "email").put("email", "nobody@example.com").put("password", "test-password-1")));
  }

  private Future<HttpResponse<Buffer>> handshake(String origin) {
    return client.request(HttpMethod.GET, "/codvid-ai/ws").putHeader("Origin", origin)
        .putHeader("Upgrade", "websocket").putHeader("Connection", "Upgrade")
        .putHeader("Sec-WebSocket-Version", "13").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").send();
  }

  @Test
  @DisplayName("with a restricted CORS list the dashboard still reaches its own node (same origin), and other origins stay refused")
  void sameOriginPassesCors(VertxTestContext ctx) {
    String own = "http://127.0.0.1:" + app.httpPort();
    Future.all(List.of(login(own), login("https://evil.example"), login(LISTED_ORIGIN), login("http://127.0.0.1:1"),
            handshake(own), handshake("https://evil.example")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> same = all.resultAt(0);
          assertEquals(400, same.statusCode(), "the login itself answers (unknown email): " + same.bodyAsString());
          assertEquals(403, all.<HttpResponse<Buffer>>resultAt(1).statusCode(), "a foreign origin is refused");
          HttpResponse<Buffer> listed = all.resultAt(2);
          assertEquals(400, listed.statusCode());
          assertEquals(LISTED_ORIGIN, listed.getHeader("Access-Control-Allow-Origin"));
          assertEquals(403, all.<HttpResponse<Buffer>>resultAt(3).statusCode(), "another port is another origin");
          assertEquals(401, all.<HttpResponse<Buffer>>resultAt(4).statusCode(), "the socket's own checks answer (no token)");
          assertEquals(403, all.<HttpResponse<Buffer>>resultAt(5).statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the API keeps its own policy (default-src 'none') and no-store")
  void apiPolicyUnchanged(VertxTestContext ctx) {
    get("/codvid-ai/ping").onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertEquals(SecurityHeaders.API_POLICY, response.getHeader("Content-Security-Policy"));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("the modules build the page without innerHTML, eval, inline styles or handlers, and keep nothing in localStorage")
  void noUnsafeCode() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path file : appFiles()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (file.toString().endsWith(".js")) {
        for (String unsafe : UNSAFE_JS) {
          if (text.contains(unsafe)) {
            problems.add(file + " uses " + unsafe);
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  @DisplayName("every data-testid hook of issue 17 is in the app and documented in docs/dashboard.md")
  void hooksDocumented() throws IOException {
    StringBuilder source = new StringBuilder();
    for (Path file : appFiles()) {
      source.append(Files.readString(file, StandardCharsets.UTF_8));
    }
    String docs = Files.readString(Path.of("docs/dashboard.md"), StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (String hook : HOOKS) {
      if (!source.toString().contains("'" + hook + "'") && !source.toString().contains("\"" + hook + "\"")) {
        missing.add(hook + " (not in src/main/resources/app)");
      }
      if (!docs.contains("`" + hook + "`")) {
        missing.add(hook + " (not in docs/dashboard.md)");
      }
    }
    assertEquals(List.of(), missing);
  }

  private static List<Path> appFiles() throws IOException {
    try (Stream<Path> files = Files.walk(APP)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
