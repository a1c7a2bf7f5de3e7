package ai.codvid.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.codvid.CodvidApp;
import ai.codvid.support.ApiClient;
import ai.codvid.support.TestNode;
import ai.codvid.tracking.ProcessingRegistry;
import ai.codvid.tracking.ProgressEvents;
import ai.codvid.tracking.TaskKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard walked in Debian's headless Chromium against a real node (embedded store,
 * offline sample source, built-in assistant): one node and one browser for the whole class, the
 * steps in order as a new user would take them. After every step the browser's console must hold
 * no warning or error except the failed requests that step provoked on purpose, and no request
 * may have gone to another origin or carried the token in its URL (the WebSocket's {@code ?token=}
 * excepted). Each page is photographed at 1440 and 375 px into {@code target/screenshots/}, with
 * no sideways scrolling at 375 px and WCAG AA contrast for every text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("The dashboard in a real Chromium")
class DashboardBrowserTest {

  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final String PASSWORD = "test-password-1";
  private static final int FORCE_SCRAPES_PER_MINUTE = 8;
  private static final Set<String> SENTIMENTS = Set.of("positive", "negative", "neutral");

  private Vertx vertx;
  private CodvidApp app;
  private ApiClient api;
  private io.vertx.core.http.HttpServer receiver;
  private final List<String> webhookEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Chromium browser;
  private String origin;
  private String contrastScript;
  private final List<String> expectedConsole = new ArrayList<>();
  private final List<String> allowedConsole = new ArrayList<>();

  private final String email = "dash-" + System.nanoTime() + "@example.com";
  private String token;
  private String userId;
  private String natgeo;
  private String nasa;

  @BeforeAll
  void start() throws Exception {
    String missing = Chromium.missing();
    if (missing != null) {
      String why = "The dashboard's browser tests need " + missing
          + ". Install them (apt-get install chromium chromium-driver; ./test.sh does it), or set "
          + Chromium.SKIP_ENV + "=true to skip these tests knowingly.";
      Assumptions.assumeFalse("true".equalsIgnoreCase(System.getenv(Chromium.SKIP_ENV)), why);
      fail(why);
    }
    try (InputStream in = getClass().getResourceAsStream("/dashboard/contrast.js")) {
      contrastScript = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    vertx = Vertx.vertx();
    JsonObject config = TestNode.config(TestNode.tempDir())
        .put("tracking", new JsonObject().put("scheduler_enabled", false).put("force_scrape_per_minute", FORCE_SCRAPES_PER_MINUTE))
        .put("alerts", new JsonObject().put("allow_private_webhooks", true)); // the webhook receiver below is on loopback
    receiver = await(vertx.createHttpServer().requestHandler(request -> request.body().onComplete(body -> {
      webhookEvents.add(String.valueOf(request.getHeader("X-Codvid-Event")));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
    app = await(TestNode.start(vertx, config));
    api = new ApiClient(vertx, app.httpPort());
    origin = "http://127.0.0.1:" + app.httpPort();
    browser = new Chromium();
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (api != null) {
      api.close();
    }
    if (receiver != null) {
      await(receiver.close());
    }
    if (app != null) {
      await(app.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /** The console and the network of every step: nothing unexpected, nothing from elsewhere. */
  @AfterEach
  void nothingUnexpected() {
    if (browser == null) {
      return;
    }
    List<Chromium.Console> console = browser.takeConsole();
    List<String> unexpected = console.stream()
        .filter(c -> expectedConsole.stream().noneMatch(pattern -> c.message().contains(pattern)))
        .filter(c -> allowedConsole.stream().noneMatch(pattern -> c.message().contains(pattern)))
        .map(c -> c.level() + " " + c.message())
        .toList();
    List<String> notSeen = expectedConsole.stream()
        .filter(pattern -> console.stream().noneMatch(c -> c.message().contains(pattern)))
        .toList();
    expectedConsole.clear();
    allowedConsole.clear();
    List<String> wrong = new ArrayList<>();
    for (Chromium.Request request : browser.takeRequests()) {
      String problem = problem(request);
      if (problem != null) {
        wrong.add(problem);
      }
    }
    assertEquals(List.of(), unexpected, "console warnings or errors");
    assertEquals(List.of(), notSeen, "failed requests the step provoked did not show in the console");
    assertEquals(List.of(), wrong, "requests to another origin or with the token in the URL");
  }

  private String problem(Chromium.Request request) {
    String url = request.url();
    String scheme = URI.create(url.replace(" ", "%20")).getScheme();
    if (scheme == null) {
      return "no scheme: " + url;
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (Chromium.LOCAL_SCHEMES.contains(scheme) || scheme.startsWith("chrome") || scheme.equals("about") || scheme.equals("devtools")) {
      return null; // data: and blob: are local; chrome://, about: are the browser's own pages
    }
    if (scheme.equals("ws")) {
      return url.startsWith("ws://127.0.0.1:" + app.httpPort() + "/codvid-ai/ws?token=") ? null : "WebSocket elsewhere: " + url;
    }
    if (!url.startsWith(origin + "/")) {
      return "another origin: " + url;
    }
    if (token != null && url.contains(token)) {
      return "token in a URL: " + url;
    }
    return null;
  }

  /** A failed request this step provokes on purpose: it must show in the console. */
  private void expectConsole(String pattern) {
    expectedConsole.add(pattern);
  }

  /**
   * A failed request this step may meet: a refresh asked right after a run's end can find the
   * task not yet handed back (409), which the page retries once.
   */
  private void allowConsole(String pattern) {
    allowedConsole.add(pattern);
  }

  /** A rate as Intl.NumberFormat('en-US', {style: 'percent', maximumFractionDigits: 2}) writes it. */
  private static String percentText(double value) {
    return new java.math.BigDecimal(String.format(Locale.US, "%.2f", value)).stripTrailingZeros().toPlainString() + "%";
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private JsonObject call(String path) throws Exception {
    HttpResponse<Buffer> response = await(api.get(path, token));
    assertEquals(200, response.statusCode(), path + " " + response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("response");
  }

  /** Loads the page afresh (a new document, so its modules and formats start anew). */
  private void open(String hash) {
    String url = origin + "/codvid-ai/app/" + hash;
    if (url.equals(browser.driver.getCurrentUrl())) {
      browser.driver.navigate().refresh();
    } else {
      browser.driver.get(url);
    }
    browser.awaitPage(hash);
  }

  private String text(String testId) {
    return browser.byTestId(testId).getText();
  }

  private String bannerText() {
    WebElement banner = browser.byTestId("error-banner");
    return banner.isDisplayed() ? banner.getText() : "";
  }

  /**
   * Photographs the page at 1440 and 375 px (whole height), after checking that no text is below
   * AA contrast and that nothing scrolls sideways on a phone.
   */
  @SuppressWarnings("unchecked")
  private void capture(String name) throws IOException {
    browser.script("document.querySelectorAll('.toast').forEach(t => t.classList.remove('toast-visible'))");
    browser.settle();
    List<String> lowContrast = (List<String>) browser.script(contrastScript);
    assertEquals(List.of(), lowContrast, name + ": text below WCAG AA contrast");
    browser.screenshot(SHOTS.resolve(name + "-desktop.png"), Chromium.DESKTOP_WIDTH, false);
    browser.viewport(Chromium.MOBILE_WIDTH, Chromium.MOBILE_HEIGHT, true);
    browser.settle();
    long width = ((Number) browser.script("return document.documentElement.scrollWidth")).longValue();
    assertTrue(width <= Chromium.MOBILE_WIDTH, name + " scrolls sideways at 375 px: content is " + width + " px wide");
    lowContrast = (List<String>) browser.script(contrastScript);
    assertEquals(List.of(), lowContrast, name + " at 375 px: text below WCAG AA contrast");
    browser.screenshot(SHOTS.resolve(name + "-mobile.png"), Chromium.MOBILE_WIDTH, true);
    browser.desktop();
    browser.settle();
  }

  private int rows() {
    return browser.allByTestId("task-row").size();
  }

  private WebElement row(String taskId) {
    return browser.driver.findElement(By.cssSelector("[data-testid=\"task-row\"][data-task-id=\"" + taskId + "\"]"));
  }

  private void choose(WebElement select, String value) {
    select.findElement(By.cssSelector("option[value=\"" + value + "\"]")).click();
  }

  private void refreshAndAwaitCompletion() {
    browser.await("Refresh now enabled", d -> browser.byTestId("force-scrape").isEnabled());
    browser.byTestId("force-scrape").click();
    browser.await("the progress bar completes", d -> {
      WebElement progress = browser.byTestId("progress");
      return "completed".equals(progress.getAttribute("data-state")) && "100".equals(progress.getAttribute("data-percent"));
    });
  }

  // ---------------------------------------------------------------------------------------

  @Test
  @Order(1)
  @DisplayName("/ redirects to the dashboard, whose login page runs under the strict CSP and loads nothing from elsewhere")
  void loginPage() throws Exception {
    browser.driver.get(origin + "/");
    browser.awaitPage("#/login");
    assertEquals(origin + "/codvid-ai/app/#/login", browser.driver.getCurrentUrl());
    assertTrue(browser.byTestId("login-email").isDisplayed());
    assertTrue(browser.byTestId("login-password").isDisplayed());
    assertTrue(browser.byTestId("signup-submit").isDisplayed());
    assertFalse(browser.byTestId("logout").isDisplayed(), "no log out button before logging in");
    assertEquals(browser.byTestId("login-email"), browser.driver.switchTo().activeElement(), "the email field has the focus");
    List<Chromium.Request> requests = browser.peekRequests();
    assertTrue(requests.stream().anyMatch(r -> r.url().endsWith("/codvid-ai/app/vendor/uplot/1.6.30/dist/uPlot.iife.min.js")),
        "uPlot is loaded from the node: " + requests);
    capture("login");
  }

  @Test
  @Order(2)
  @DisplayName("the policy is enforced and the checks see it: a script's fetch to another origin is refused and logged")
  void policyEnforced() throws Exception {
    expectConsole("Content Security Policy");
    browser.script("fetch('http://127.0.0.2:9/elsewhere').catch(() => {})");
    browser.await("the refusal in the console", d -> browser.peekConsole().stream().anyMatch(c -> c.message().contains("Content Security Policy")));
    List<Chromium.Request> attempted = browser.peekRequests().stream().filter(r -> r.url().contains("127.0.0.2")).toList();
    for (Chromium.Request request : attempted) {
      assertEquals("another origin: " + request.url(), problem(request), "the after-step check would flag it");
    }
    browser.takeRequests().stream().filter(r -> !r.url().contains("127.0.0.2")).map(this::problem)
        .forEach(problem -> assertEquals(null, problem));
  }

  @Test
  @Order(3)
  @DisplayName("a new user signs up and lands on an empty profiles page; the token lives in sessionStorage only")
  void signUp() throws Exception {
    browser.byTestId("login-email").sendKeys(email);
    browser.byTestId("login-password").sendKeys(PASSWORD);
    browser.byTestId("signup-submit").click();
    browser.awaitPage("#/profiles");
    @SuppressWarnings("unchecked")
    Map<String, Object> session = (Map<String, Object>) browser.script("return JSON.parse(sessionStorage.getItem('codvid.session'))");
    assertNotNull(session, "the session is kept in sessionStorage");
    token = (String) session.get("token");
    userId = (String) session.get("user_id");
    assertNotNull(token);
    assertEquals(0L, browser.script("return localStorage.length"), "nothing in localStorage");
    assertEquals("", browser.script("return document.cookie"), "no cookie");
    assertFalse(browser.driver.getCurrentUrl().contains(token));
    assertTrue(browser.byTestId("logout").isDisplayed());
    assertEquals(0, rows());
    assertEquals(userId, call("/auth/get_uuid").getString("uuid"), "the kept token is the user's");
  }

  @Test
  @Order(4)
  @DisplayName("adding an own profile (by keyboard) and a competitor lists one task row each, as get_tasks has them")
  void addProfiles() throws Exception {
    WebElement input = browser.byTestId("add-profile-input");
    input.sendKeys("natgeo", Keys.ENTER);
    browser.await("one row", d -> rows() == 1);
    input = browser.byTestId("add-profile-input");
    input.sendKeys("@nasa");
    browser.byTestId("add-profile-competitor").click();
    browser.byTestId("add-profile-submit").click();
    browser.await("two rows", d -> rows() == 2);

    JsonArray tasks = call("/ig-tracking/get_tasks").getJsonArray("tasks");
    assertEquals(2, tasks.size());
    for (Object t : tasks) {
      JsonObject task = (JsonObject) t;
      WebElement row = row(task.getString("task_id"));
      assertEquals(String.valueOf(task.getBoolean("is_competitor")), row.getAttribute("data-competitor"));
      assertTrue(row.getText().contains("@" + task.getString("target_profile")), row.getText());
      if (task.getString("target_profile").equals("natgeo")) {
        natgeo = task.getString("task_id");
      } else {
        nasa = task.getString("task_id");
      }
    }
    assertTrue(row(nasa).getText().contains("Competitor"));
    assertTrue(row(natgeo).getText().contains("not yet"), "never scraped yet: " + row(natgeo).getText());
  }

  @Test
  @Order(5)
  @DisplayName("Refresh now runs a scrape whose live progress bar reaches 100 %; then the charts, ER and coloured comments appear")
  void refreshNow() throws Exception {
    browser.driver.findElement(By.linkText("@natgeo")).click();
    browser.awaitPage("#/profile/" + natgeo);
    assertEquals("0", browser.byTestId("chart-followers").getAttribute("data-points"), "no scrape yet");
    allowConsole("status of 409");

    refreshAndAwaitCompletion();
    browser.await("one point per chart", d -> "1".equals(browser.byTestId("chart-followers").getAttribute("data-points")));
    refreshAndAwaitCompletion();
    browser.await("two points per chart", d -> "2".equals(browser.byTestId("chart-followers").getAttribute("data-points")));
    for (String chart : List.of("chart-followers", "chart-engagement", "chart-sentiment")) {
      WebElement figure = browser.byTestId(chart);
      assertEquals("2", figure.getAttribute("data-points"), chart);
      assertFalse(figure.findElements(By.tagName("canvas")).isEmpty(), chart + " draws on a canvas");
    }

    JsonObject task = call("/ig-tracking/get_task/" + natgeo);
    int followers = task.getJsonObject("target_profile_data").getInteger("followers");
    String shown = browser.driver.findElement(By.cssSelector(".kpi .kpi-value")).getText();
    assertEquals(String.format(Locale.US, "%,d", followers), shown, "followers in the browser's locale (en-US)");

    List<WebElement> comments = browser.allByTestId("comment-row");
    int stored = task.getJsonObject("target_profile_data").getJsonArray("scraped_posts").stream()
        .mapToInt(p -> ((JsonObject) p).getJsonArray("top_comments").size()).sum();
    assertEquals(stored, comments.size(), "every top comment is listed");
    for (WebElement comment : comments) {
      String label = comment.getAttribute("data-sentiment");
      assertTrue(SENTIMENTS.contains(label), label);
      assertTrue(comment.getAttribute("class").contains("comment-" + label), "coloured by its sentiment");
    }
    JsonObject insights = call("/ig-tracking/insights/" + natgeo + "?window_days=30");
    String er = percentText(insights.getJsonObject("latest").getDouble("engagement_rate"));
    assertTrue(browser.driver.findElement(By.cssSelector(".kpis")).getText().contains(er), "ER " + er + " shown");
    capture("profile");

    open("#/profile/" + nasa);
    refreshAndAwaitCompletion();
    browser.await("nasa charted", d -> "1".equals(browser.byTestId("chart-followers").getAttribute("data-points")));
  }

  @Test
  @Order(6)
  @DisplayName("a run held elsewhere drives the bar event by event, and Refresh now meanwhile answers 409 as a friendly message")
  void progressFromAnotherRun() throws Exception {
    open("#/profile/" + natgeo);
    browser.await("subscribed: status shown", d -> !browser.byTestId("progress").getText().contains("No refresh running"));
    ProcessingRegistry registry = app.services().registry;
    ProcessingRegistry.Claim claim = await(registry.claim(natgeo, TaskKind.PROFILE, userId, "test"));
    assertNotNull(claim, "the test holds the task as another node's run would");
    try {
      await(registry.record(claim, ProgressEvents.event(ProgressEvents.SCRAPE_STARTED, "Scrape started", null)));
      browser.await("10 %", d -> "10".equals(browser.byTestId("progress").getAttribute("data-percent")));
      assertEquals("running", browser.byTestId("progress").getAttribute("data-state"));
      await(registry.record(claim, ProgressEvents.event(ProgressEvents.ACCOUNT_FETCHED, "Fetched the profile of @natgeo", null)));
      browser.await("30 %", d -> "30".equals(browser.byTestId("progress").getAttribute("data-percent")));
      assertTrue(text("progress").contains("Fetched the profile of @natgeo"), text("progress"));
      await(registry.record(claim, ProgressEvents.event(ProgressEvents.PROCESSING_REELS, "Classifying 30 comments", null)));
      browser.await("60 %", d -> "60".equals(browser.byTestId("progress").getAttribute("data-percent")));
      capture("profile-refreshing");

      expectConsole("status of 409");
      browser.byTestId("force-scrape").click();
      browser.await("the 409 banner", d -> bannerText().contains("already being refreshed"));
      assertEquals("60", browser.byTestId("progress").getAttribute("data-percent"), "the bar keeps following the run");

      await(registry.record(claim, ProgressEvents.event(ProgressEvents.SCRAPE_COMPLETED, "Scrape completed", null)));
      browser.await("completed", d -> "completed".equals(browser.byTestId("progress").getAttribute("data-state")));
    } finally {
      await(registry.release(claim));
    }
    browser.byTestId("error-banner").findElement(By.cssSelector(".error-close")).click();
    assertFalse(browser.byTestId("error-banner").isDisplayed(), "the banner can be dismissed");
  }

  @Test
  @Order(7)
  @DisplayName("the comment filter by sentiment and by language shows exactly the matching comments")
  void filterComments() throws Exception {
    JsonArray posts = call("/ig-tracking/get_task/" + natgeo).getJsonObject("target_profile_data").getJsonArray("scraped_posts");
    List<JsonObject> all = posts.stream().flatMap(p -> ((JsonObject) p).getJsonArray("top_comments").stream()).map(c -> (JsonObject) c).toList();
    long negative = all.stream().filter(c -> c.getString("sentiment").equals("negative")).count();
    assertTrue(negative > 0, "the sample has negative comments");

    choose(browser.byTestId("filter-sentiment"), "negative");
    browser.await("only negative", d -> browser.allByTestId("comment-row").size() == negative);
    assertTrue(browser.allByTestId("comment-row").stream().allMatch(c -> "negative".equals(c.getAttribute("data-sentiment"))));

    choose(browser.byTestId("filter-sentiment"), "all");
    String language = all.get(0).getString("language");
    long inLanguage = all.stream().filter(c -> language.equals(c.getString("language"))).count();
    choose(browser.byTestId("filter-language"), language);
    browser.await("only " + language, d -> browser.allByTestId("comment-row").size() == inLanguage);
    assertTrue(browser.allByTestId("comment-row").stream().allMatch(c -> language.equals(c.getAttribute("data-language"))));

    long positiveInLanguage = all.stream().filter(c -> language.equals(c.getString("language")) && c.getString("sentiment").equals("positive")).count();
    choose(browser.byTestId("filter-sentiment"), "positive");
    browser.await("both filters", d -> browser.allByTestId("comment-row").size() == positiveInLanguage);
    choose(browser.byTestId("filter-sentiment"), "all");
    choose(browser.byTestId("filter-language"), "all");
    browser.await("all again", d -> browser.allByTestId("comment-row").size() == all.size());
  }

  @Test
  @Order(8)
  @DisplayName("an export downloads through fetch with the Authorization header, the token in no URL")
  void export() throws Exception {
    browser.byTestId("export-comments").click();
    Path file = browser.downloads.resolve("codvid-natgeo-comments.csv");
    browser.await("the CSV is downloaded", d -> Files.exists(file) && file.toFile().length() > 0);
    String header = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
    assertEquals("scraped_at,post_url,post_type,caption,owner_username,text,sentiment,score,language,likes_count", header);
    List<Chromium.Request> requests = browser.peekRequests();
    Chromium.Request download = requests.stream().filter(r -> r.url().contains("/ig-tracking/export/" + natgeo)).findFirst()
        .orElseThrow(() -> new AssertionError("no export request in " + requests));
    assertEquals("Bearer " + token, download.headers().getString("Authorization"), "sent with the header");
    assertFalse(download.url().contains(token));
  }

  @Test
  @Order(9)
  @DisplayName("a profile is paused and resumed from its row, and deleted after a confirmation")
  void pauseResumeDelete() throws Exception {
    open("#/profiles");
    browser.await("sentiment summaries shown", d -> row(natgeo).getText().contains("positive"));
    row(nasa).findElement(By.cssSelector("[data-action=toggle]")).click();
    browser.await("paused", d -> "paused".equals(row(nasa).getAttribute("data-status")));
    assertEquals("paused", call("/ig-tracking/get_task/" + nasa).getString("status"));
    capture("profiles");
    row(nasa).findElement(By.cssSelector("[data-action=toggle]")).click();
    browser.await("active again", d -> "active".equals(row(nasa).getAttribute("data-status")));

    browser.byTestId("add-profile-input").sendKeys("short_lived", Keys.ENTER);
    browser.await("three rows", d -> rows() == 3);
    String doomed = browser.allByTestId("task-row").stream().map(r -> r.getAttribute("data-task-id"))
        .filter(id -> !id.equals(natgeo) && !id.equals(nasa)).findFirst().orElseThrow();
    row(doomed).findElement(By.cssSelector("[data-action=delete]")).click();
    browser.driver.switchTo().alert().dismiss();
    assertEquals(3, rows(), "dismissing the confirmation keeps it");
    row(doomed).findElement(By.cssSelector("[data-action=delete]")).click();
    browser.driver.switchTo().alert().accept();
    browser.await("two rows", d -> rows() == 2);
    assertEquals(2, call("/ig-tracking/get_tasks").getJsonArray("tasks").size());
  }

  @Test
  @Order(10)
  @DisplayName("the benchmark lists both profiles with the own, competitor and landscape averages, in a table and a chart")
  void benchmark() throws Exception {
    browser.driver.findElement(By.cssSelector("[data-nav=benchmark]")).click();
    browser.awaitPage("#/benchmark");
    WebElement table = browser.byTestId("benchmark-table");
    assertEquals(2, table.findElements(By.cssSelector("tbody tr")).size());
    assertEquals(List.of("own_average", "competitor_average", "landscape_average"),
        table.findElements(By.cssSelector("tfoot tr")).stream().map(r -> r.getAttribute("data-average")).toList());
    JsonObject bench = call("/ig-tracking/benchmark?window_days=30");
    String landscapeEr = percentText(bench.getJsonObject("landscape_average").getDouble("engagement_rate"));
    String landscapeRow = table.findElement(By.cssSelector("tfoot tr[data-average=landscape_average]")).getText();
    assertTrue(landscapeRow.contains(landscapeEr), landscapeRow + " shows " + landscapeEr);
    WebElement chart = browser.byTestId("chart-benchmark");
    assertEquals(5, chart.findElements(By.cssSelector(".bar-row")).size(), "a bar per profile and per average");
    choose(browser.byTestId("benchmark-metric"), "followers");
    browser.await("followers bars", d -> "followers".equals(browser.byTestId("chart-benchmark").getAttribute("data-metric")));
    capture("benchmark");
  }

  @Test
  @Order(11)
  @DisplayName("a project's reel is tracked and refreshed, and the AI chat streams in and ends equal to the server's chat without a reload")
  void projectAndChat() throws Exception {
    browser.driver.findElement(By.cssSelector("[data-nav=projects]")).click();
    browser.awaitPage("#/projects");
    String project = "Spring launch";
    browser.byTestId("project-name").sendKeys(project, Keys.ENTER);
    browser.awaitPage("#/projects/" + project.replace(" ", "%20"));
    browser.byTestId("add-reel-input").sendKeys("https://www.instagram.com/reel/C0dvidTest1/?igsh=abc");
    browser.byTestId("add-reel-submit").click();
    browser.await("one reel row", d -> rows() == 1);
    WebElement reel = browser.allByTestId("task-row").get(0);
    String reelId = reel.getAttribute("data-task-id");
    reel.findElement(By.xpath(".//button[normalize-space()='Refresh']")).click();
    browser.await("the reel is refreshed", d -> row(reelId).getText().contains("Refreshed just now"));
    browser.await("with its numbers", d -> !row(reelId).findElements(By.cssSelector(".badge")).isEmpty());

    browser.script("window.chatRepaints = 0; new MutationObserver(() => { window.chatRepaints += 1; })"
        + ".observe(document.querySelector('.chat-log'), {childList: true, subtree: true, characterData: true});");
    browser.byTestId("chat-input").sendKeys("How are my reels doing?", Keys.ENTER);
    browser.await("the answer ends", d -> {
      WebElement chat = browser.byTestId("chat");
      return "false".equals(chat.getAttribute("data-streaming")) && chat.getAttribute("data-mod-count") != null
          && browser.allByTestId("chat-message").stream().anyMatch(m -> "assistant".equals(m.getAttribute("data-role"))
          && "text".equals(m.getAttribute("data-type")));
    });
    browser.await("mod count settled", d -> {
      JsonObject data;
      try {
        data = call("/project/get-project-data?project_name=" + project.replace(" ", "%20")).getJsonObject("project_data");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return String.valueOf(data.getInteger("mod_count")).equals(browser.byTestId("chat").getAttribute("data-mod-count"));
    });
    JsonObject data = call("/project/get-project-data?project_name=" + project.replace(" ", "%20")).getJsonObject("project_data");
    WebElement chat = browser.byTestId("chat");
    assertEquals(String.valueOf(data.getJsonArray("chats").size()), chat.getAttribute("data-messages"), "the page holds the server's chat");
    assertEquals("0", chat.getAttribute("data-reloads"), "applied by the rules: no reload needed");
    long repaints = ((Number) browser.script("return window.chatRepaints")).longValue();
    assertTrue(repaints >= 3, "the answer arrived in pieces (" + repaints + " repaints)");
    String answer = browser.allByTestId("chat-message").stream().filter(m -> "assistant".equals(m.getAttribute("data-role"))
        && "text".equals(m.getAttribute("data-type"))).map(WebElement::getText).collect(Collectors.joining("\n"));
    assertTrue(answer.contains("C0dvidTest1"), "the built-in assistant reports the project's reel: " + answer);
    capture("project");
  }

  private WebElement ruleRow() {
    return browser.byTestId("rule-row");
  }

  private void type(String testId, String value) {
    WebElement input = browser.byTestId(testId);
    input.clear();
    input.sendKeys(value);
  }

  @Test
  @Order(12)
  @DisplayName("Alerts: a rule is created (its secret shown once), tested, fired live by a scrape, edited and deleted")
  void alertsPage() throws Exception {
    browser.driver.findElement(By.cssSelector("[data-nav=alerts]")).click();
    browser.awaitPage("#/alerts");
    browser.script("window.sameDocument = true");
    type("rule-name", "Sour comments");
    choose(browser.byTestId("rule-task"), natgeo);
    choose(browser.byTestId("rule-metric"), "negative_pct");
    choose(browser.byTestId("rule-condition"), "above");
    type("rule-threshold", "10");
    type("rule-cooldown", "0");
    type("rule-webhook", "http://127.0.0.1:" + receiver.actualPort() + "/hooks/codvid");
    browser.byTestId("rule-submit").click();
    browser.await("the rule is listed", d -> browser.allByTestId("rule-row").size() == 1);
    assertTrue(text("rule-secret").matches("[0-9a-f]{64}"), "the generated secret is shown once: " + text("rule-secret"));
    JsonArray rules = call("/alerts/get_rules").getJsonArray("rules");
    assertEquals(1, rules.size());
    assertEquals(natgeo, rules.getJsonObject(0).getString("task_id"));
    assertEquals(10, rules.getJsonObject(0).getNumber("threshold").intValue());

    ruleRow().findElement(By.cssSelector("[data-action=test]")).click();
    browser.await("the test delivery reached the receiver", d -> webhookEvents.contains("test"));
    browser.await("and the page says so", d -> browser.driver.findElement(By.cssSelector(".toast")).getText().contains("Test delivered"));

    assertEquals(0, browser.allByTestId("alert-row").size());
    HttpResponse<Buffer> scrape = await(api.post("/ig-tracking/force_scrape/" + natgeo, token, null));
    assertEquals(200, scrape.statusCode(), scrape.bodyAsString());
    browser.await("the alert appears live", d -> browser.allByTestId("alert-row").size() == 1);
    assertEquals(true, browser.script("return window.sameDocument === true"), "without reloading the page");
    String alert = browser.byTestId("alert-row").getText();
    assertTrue(alert.contains("@natgeo") && alert.contains("Negative comments"), alert);
    browser.await("the webhook got it too", d -> webhookEvents.contains("alert"));

    ruleRow().findElement(By.cssSelector("[data-action=edit]")).click();
    type("rule-threshold", "90");
    browser.byTestId("rule-submit").click();
    browser.await("the edit is listed", d -> ruleRow().getText().contains("is above 90"));
    assertEquals(90, call("/alerts/get_rules").getJsonArray("rules").getJsonObject(0).getNumber("threshold").intValue());
    open("#/alerts");
    assertEquals(1, browser.allByTestId("alert-row").size(), "get_alerts lists the fired alert");
    capture("alerts");

    ruleRow().findElement(By.cssSelector("[data-action=delete]")).click();
    browser.driver.switchTo().alert().accept();
    browser.await("the rule is gone", d -> browser.allByTestId("rule-row").isEmpty());
    assertEquals(0, call("/alerts/get_rules").getJsonArray("rules").size());
  }

  @Test
  @Order(13)
  @DisplayName("on a node without the alerts API (an older version: its description lists none) the Alerts page says so and calls nothing")
  void alertsWithoutTheApi() throws Exception {
    // the page learns what the server offers from /codvid-ai/openapi.json: this plays an older node's description
    Object script = browser.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", String.join("\n",
        "const realFetch = window.fetch.bind(window);",
        "window.fetch = async (input, init) => {",
        "  const response = await realFetch(input, init);",
        "  if (!String(input).endsWith('/codvid-ai/openapi.json')) return response;",
        "  const description = await response.json();",
        "  for (const path of Object.keys(description.paths)) if (path.startsWith('/codvid-ai/alerts/')) delete description.paths[path];",
        "  return new Response(JSON.stringify(description), {status: 200, headers: {'Content-Type': 'application/json'}});",
        "};"))).get("identifier");
    try {
      browser.takeRequests().forEach(r -> assertEquals(null, problem(r)));
      open("#/alerts");
      assertTrue(text("alerts-unavailable").contains("not available on this server yet"));
      assertFalse(browser.byTestId("error-banner").isDisplayed());
      assertTrue(browser.peekRequests().stream().noneMatch(r -> r.url().contains("/codvid-ai/alerts/")), "no alerts request");
      capture("alerts-unavailable");
    } finally {
      browser.cdp("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script));
    }
  }

  @Test
  @Order(15)
  @DisplayName("too many refreshes answer 429, shown as a friendly message with the wait")
  void tooManyRefreshes() throws Exception {
    open("#/profile/" + natgeo);
    expectConsole("status of 429");
    allowConsole("status of 409");
    for (int i = 0; i < 2 * FORCE_SCRAPES_PER_MINUTE + 2 && !bannerText().contains("Try again in"); i++) {
      browser.await("Refresh now enabled", d -> browser.byTestId("force-scrape").isEnabled());
      browser.byTestId("force-scrape").click();
      browser.await("the refresh ran or was refused", d -> bannerText().contains("Try again in")
          || "completed".equals(browser.byTestId("progress").getAttribute("data-state")));
    }
    assertTrue(bannerText().matches("(?s).*many refreshes.*Try again in \\d+ s\\..*"), bannerText());
  }

  @Test
  @Order(16)
  @DisplayName("numbers follow the browser's locale (de-DE: 9.660)")
  void locale() throws Exception {
    int followers = call("/ig-tracking/get_task/" + natgeo).getJsonObject("target_profile_data").getInteger("followers");
    browser.cdp("Emulation.setLocaleOverride", Map.of("locale", "de-DE"));
    try {
      open("#/profile/" + natgeo);
      String shown = browser.driver.findElement(By.cssSelector(".kpi .kpi-value")).getText();
      assertEquals(String.format(Locale.GERMANY, "%,d", followers), shown);
    } finally {
      browser.cdp("Emulation.setLocaleOverride", Map.of());
    }
  }

  @Test
  @Order(17)
  @DisplayName("with the keyboard only: log out, a wrong password is explained, and logging in again reaches the profiles")
  void keyboardLogoutAndLogin() throws Exception {
    open("#/profiles");
    WebElement focused = null;
    for (int i = 0; i < 15; i++) {
      browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
      focused = browser.driver.switchTo().activeElement();
      if ("add-profile-input".equals(focused.getAttribute("data-testid"))) {
        break;
      }
    }
    assertEquals("add-profile-input", focused.getAttribute("data-testid"), "Tab reaches the add form");

    WebElement logout = browser.byTestId("logout");
    browser.script("arguments[0].focus()", logout);
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    browser.awaitPage("#/login");
    assertEquals(null, browser.script("return sessionStorage.getItem('codvid.session')"), "the token is forgotten");
    assertEquals(401, await(api.get("/ig-tracking/get_tasks", null)).statusCode());

    browser.byTestId("login-email").sendKeys(email, Keys.TAB);
    expectConsole("status of 400");
    browser.driver.switchTo().activeElement().sendKeys("wrong-password-9", Keys.ENTER);
    browser.await("wrong password explained", d -> bannerText().contains("wrong password"));

    WebElement password = browser.byTestId("login-password");
    password.clear();
    password.sendKeys(PASSWORD, Keys.ENTER);
    browser.awaitPage("#/profiles");
    assertEquals(2, rows());
    assertFalse(browser.byTestId("error-banner").isDisplayed(), "the old message is gone");
  }
}
