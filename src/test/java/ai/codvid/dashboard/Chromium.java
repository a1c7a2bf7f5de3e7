package ai.codvid.dashboard;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium driven through its chromedriver, with what the dashboard's tests
 * need and nothing version-specific: console messages and network requests come from the
 * {@code goog:loggingPrefs} logs (browser and performance), screenshots and viewport changes
 * from chromedriver's own CDP endpoint.
 */
final class Chromium implements AutoCloseable {

  /** Set to {@code true} to skip the browser tests knowingly when no Chromium is installed. */
  static final String SKIP_ENV = "CODVID_SKIP_BROWSER_TESTS";
  static final Path BINARY = Path.of(env("CODVID_TEST_CHROMIUM", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(env("CODVID_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final int DESKTOP_WIDTH = 1440;
  static final int DESKTOP_HEIGHT = 900;
  static final int MOBILE_WIDTH = 375;
  static final int MOBILE_HEIGHT = 812;

  /** A console message of the page. */
  record Console(String level, String message) {
  }

  /** A request the page made (performance log), with its headers. */
  record Request(String url, String method, JsonObject headers, String documentUrl) {
  }

  final ChromeDriver driver;
  final Path downloads;
  private final Path profile;
  private final List<Request> requests = new ArrayList<>();
  private final List<Console> console = new ArrayList<>();

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Why the browser cannot run here, or null when it can. */
  static String missing() {
    List<String> absent = new ArrayList<>();
    if (!Files.isExecutable(BINARY)) {
      absent.add(BINARY + " (Debian package chromium)");
    }
    if (!Files.isExecutable(DRIVER)) {
      absent.add(DRIVER + " (Debian package chromium-driver)");
    }
    return absent.isEmpty() ? null : String.join(" and ", absent);
  }

  Chromium() throws IOException {
    profile = Files.createTempDirectory("codvid-chromium");
    downloads = Files.createTempDirectory("codvid-downloads");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
        "--lang=en-US", "--window-size=" + DESKTOP_WIDTH + "," + DESKTOP_HEIGHT,
        "--user-data-dir=" + profile);
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("intl.accept_languages", "en-US,en");
    options.setExperimentalOption("prefs", prefs);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL", LogType.PERFORMANCE, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(new File("target/chromedriver.log"))
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    cdp("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> cdp(String method, Map<String, Object> params) {
    return driver.executeCdpCommand(method, params);
  }

  WebElement byTestId(String id) {
    return driver.findElement(By.cssSelector("[data-testid=\"" + id + "\"]"));
  }

  List<WebElement> allByTestId(String id) {
    return driver.findElements(By.cssSelector("[data-testid=\"" + id + "\"]"));
  }

  /** Polls until the condition answers something other than null or false (30 s at most). */
  <T> T await(String what, Function<WebDriver, T> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = condition.apply(driver);
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (NoSuchElementException | StaleElementReferenceException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("Timed out waiting for: " + what + (last == null ? "" : " (" + last.getClass().getSimpleName() + ")"));
  }

  /** Waits until the page of this hash route has rendered its data. */
  void awaitPage(String hash) {
    await("page " + hash + " rendered", d -> hash.equals(script("return document.getElementById('main').dataset.ready")));
  }

  /** Reads the browser's logs into {@link #console} and {@link #requests}. */
  void drainLogs() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
        console.add(new Console(entry.getLevel().getName(), entry.getMessage()));
      }
    }
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message", new JsonObject());
      JsonObject params = message.getJsonObject("params", new JsonObject());
      switch (message.getString("method", "")) {
        case "Network.requestWillBeSent" -> {
          JsonObject request = params.getJsonObject("request", new JsonObject());
          requests.add(new Request(request.getString("url"), request.getString("method"),
              request.getJsonObject("headers", new JsonObject()), params.getString("documentURL")));
        }
        case "Network.webSocketCreated" -> requests.add(new Request(params.getString("url"), "WEBSOCKET", new JsonObject(), null));
        default -> {
        }
      }
    }
  }

  /** The console warnings and errors since the last call. */
  List<Console> takeConsole() {
    drainLogs();
    List<Console> taken = List.copyOf(console);
    console.clear();
    return taken;
  }

  /** The console warnings and errors since the last {@link #takeConsole}, kept for it. */
  List<Console> peekConsole() {
    drainLogs();
    return List.copyOf(console);
  }

  /** The requests since the last {@link #takeRequests}, kept for it. */
  List<Request> peekRequests() {
    drainLogs();
    return List.copyOf(requests);
  }

  /** The requests since the last call. */
  List<Request> takeRequests() {
    drainLogs();
    List<Request> taken = List.copyOf(requests);
    requests.clear();
    return taken;
  }

  /** Sets the viewport (mobile: touch and a phone's user agent metrics) or restores the window's. */
  void viewport(int width, int height, boolean mobile) {
    cdp("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  void desktop() {
    cdp("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** A PNG of the whole page at the current width (the viewport stretched to the page's height). */
  void screenshot(Path file, int width, boolean mobile) throws IOException {
    int viewportHeight = mobile ? MOBILE_HEIGHT : DESKTOP_HEIGHT;
    long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
    viewport(width, (int) Math.min(Math.max(height, viewportHeight), 8000), mobile);
    settle();
    Object data = cdp("Page.captureScreenshot", Map.of("format", "png")).get("data");
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode((String) data));
    viewport(width, viewportHeight, mobile);
  }

  /** Lets layout, resize observers and transitions finish. */
  void settle() {
    script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 350))))");
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
      deleteTree(downloads);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }

  /** Schemes a page may use without reaching another origin. */
  static final Set<String> LOCAL_SCHEMES = Set.of("data", "blob");
}
