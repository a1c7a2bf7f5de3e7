package ai.codvid.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.CodvidException;
import ai.codvid.config.AppConfig;
import ai.codvid.fakes.FakeWebhookReceiver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A webhook attempt against a real receiver on loopback")
class WebhookSenderTest {

  private static final String SECRET = "a-secret-of-the-receiver-0123456789";

  private Vertx vertx;
  private FakeWebhookReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = await(FakeWebhookReceiver.start(vertx));
  }

  @AfterEach
  void stop() throws Exception {
    await(receiver.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static AlertOptions options(boolean allowPrivate, long connectMs, long responseMs) {
    return AlertOptions.from(AppConfig.of(new JsonObject().put("alerts", new JsonObject()
        .put("allow_private_webhooks", allowPrivate)
        .put("webhook_connect_timeout_ms", connectMs)
        .put("webhook_timeout_ms", responseMs))));
  }

  /** Names of this test resolved to fixed addresses, as a DNS server would answer them. */
  private static WebhookSender.Resolver names(Map<String, List<String>> table) {
    return host -> {
      List<String> found = table.get(host);
      if (found == null) {
        try {
          return Future.succeededFuture(List.of(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
          return Future.failedFuture(e);
        }
      }
      return Future.succeededFuture(found.stream().map(a -> {
        try {
          return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }).toList());
    };
  }

  /** The receiver's check, written from docs/alerts.md alone: hex HMAC-SHA256 of "timestamp.body" keyed with the secret. */
  static boolean verifies(String secret, String timestamp, String body, String header) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a delivery is a signed JSON POST with the event, delivery id and timestamp headers; the documented recipe verifies it and rejects a changed body")
  void signedPost() throws Exception {
    WebhookSender sender = new WebhookSender(vertx, options(true, 2_000, 2_000));
    String body = new JsonObject().put("alert_id", "a-1").put("text", "çà va 🔥").encode();
    WebhookSender.Outcome outcome = await(sender.send(receiver.url("/hook?team=7"), SECRET, "alert", "a-1", body));
    assertTrue(outcome.delivered(), outcome.toString());
    assertEquals(200, outcome.statusCode());
    FakeWebhookReceiver.Received got = receiver.received().get(0);
    assertEquals("POST", got.method());
    assertEquals("/hook?team=7", got.path());
    assertEquals(body, got.body());
    assertTrue(got.header("Content-Type").startsWith("application/json"));
    assertEquals("alert", got.header("X-Codvid-Event"));
    assertEquals("a-1", got.header("X-Codvid-Delivery"));
    long timestamp = Long.parseLong(got.header("X-Codvid-Timestamp"));
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - timestamp) < 60);
    assertTrue(got.header("X-Codvid-Signature").matches("sha256=[0-9a-f]{64}"), got.header("X-Codvid-Signature"));
    assertTrue(verifies(SECRET, got.header("X-Codvid-Timestamp"), got.body(), got.header("X-Codvid-Signature")));
    assertFalse(verifies(SECRET, got.header("X-Codvid-Timestamp"), got.body().replace("a-1", "a-2"), got.header("X-Codvid-Signature")));
    assertFalse(verifies("another-secret-0123456789", got.header("X-Codvid-Timestamp"), got.body(), got.header("X-Codvid-Signature")));
    await(sender.close());
  }

  @Test
  @DisplayName("the connection goes to the address that was checked, while the Host header keeps the URL's name")
  void connectsToTheCheckedAddress() throws Exception {
    WebhookSender sender = new WebhookSender(vertx, options(true, 2_000, 2_000),
        names(Map.of("hooks.example", List.of("127.0.0.1"))), null);
    String url = "http://hooks.example:" + receiver.port() + "/in";
    assertTrue(await(sender.send(url, SECRET, "test", "t-1", "{}")).delivered());
    assertEquals("hooks.example:" + receiver.port(), receiver.received().get(0).header("Host"));
    await(sender.close());
  }

  @Test
  @DisplayName("a name that resolves to a private address (DNS rebinding) is refused at delivery and nothing is sent; one bad address among good ones is enough")
  void rebindingRefused() throws Exception {
    WebhookSender sender = new WebhookSender(vertx, options(false, 2_000, 2_000), names(Map.of(
        "rebound.example", List.of("127.0.0.1"),
        "mixed.example", List.of("93.184.215.14", "10.0.0.8"),
        "metadata.example", List.of("169.254.169.254"))), null);
    WebhookSender.Outcome outcome = await(sender.send("http://rebound.example:" + receiver.port() + "/", SECRET, "alert", "a", "{}"));
    assertEquals(WebhookSender.Kind.REFUSED, outcome.kind());
    assertTrue(outcome.error().contains("loopback"), outcome.error());
    assertEquals(WebhookSender.Kind.REFUSED, await(sender.send("http://mixed.example/", SECRET, "alert", "a", "{}")).kind());
    assertEquals(0, receiver.received().size());
    CodvidException refused = failure(sender.check("http://metadata.example/latest"));
    assertEquals(400, refused.code().status());
    assertTrue(refused.getMessage().contains("metadata"), refused.getMessage());
    assertEquals(400, failure(sender.check("http://does-not-exist.invalid/")).code().status());
    await(sender.close());
  }

  @Test
  @DisplayName("metadata addresses stay refused even when private webhooks are allowed")
  void metadataAlwaysRefused() throws Exception {
    WebhookSender sender = new WebhookSender(vertx, options(true, 2_000, 2_000));
    assertTrue(failure(sender.check("http://169.254.169.254/latest/meta-data/")).getMessage().contains("metadata"));
    assertTrue(failure(sender.check("http://[fd00:ec2::254]/")).getMessage().contains("metadata"));
    assertEquals(receiver.url("/x"), await(sender.check(receiver.url("/x"))).url());
    await(sender.close());
  }

  private static CodvidException failure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException e) {
      return (CodvidException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  @DisplayName("a redirect is not followed: it is a failed attempt and its target hears nothing")
  void noRedirects() throws Exception {
    FakeWebhookReceiver target = await(FakeWebhookReceiver.start(vertx));
    receiver.redirectTo(target.url("/stolen"));
    WebhookSender sender = new WebhookSender(vertx, options(true, 2_000, 2_000));
    WebhookSender.Outcome outcome = await(sender.send(receiver.url("/hook"), SECRET, "alert", "a", "{}"));
    assertEquals(WebhookSender.Kind.HTTP_ERROR, outcome.kind());
    assertEquals(302, outcome.statusCode());
    assertTrue(outcome.error().contains("redirect"), outcome.error());
    assertEquals(0, target.received().size());
    await(target.close());
    await(sender.close());
  }

  @Test
  @DisplayName("an endless answer is read up to 64 KiB and the attempt ends with its status")
  void boundedAnswer() throws Exception {
    receiver.hugeAnswer(true);
    WebhookSender sender = new WebhookSender(vertx, options(true, 2_000, 5_000));
    long started = System.currentTimeMillis();
    WebhookSender.Outcome outcome = await(sender.send(receiver.url("/hook"), SECRET, "alert", "a", "{}"));
    assertTrue(outcome.delivered(), outcome.toString());
    assertTrue(System.currentTimeMillis() - started < 4_000, "ended on the byte limit, not the timeout");
    Thread.sleep(300);
    int sent = receiver.bytesSent();
    Thread.sleep(300);
    assertEquals(sent, receiver.bytesSent(), "the connection was closed: the receiver cannot push more");
    assertTrue(outcome.responseExcerpt() == null || outcome.responseExcerpt().length() <= 201);
    await(sender.close());
  }

  @Test
  @DisplayName("a receiver that never answers is a timeout after the response timeout; a closed port is a connection error")
  void timeoutsAndRefusals() throws Exception {
    receiver.holdNext(1);
    WebhookSender sender = new WebhookSender(vertx, options(true, 500, 700));
    long started = System.currentTimeMillis();
    WebhookSender.Outcome outcome = await(sender.send(receiver.url("/slow"), SECRET, "alert", "a", "{}"));
    assertEquals(WebhookSender.Kind.TIMEOUT, outcome.kind(), outcome.toString());
    assertTrue(System.currentTimeMillis() - started < 3_000);
    int closed = ai.codvid.support.ClusterNodes.freePort();
    WebhookSender.Outcome refused = await(sender.send("http://127.0.0.1:" + closed + "/", SECRET, "alert", "a", "{}"));
    assertEquals(WebhookSender.Kind.CONNECTION, refused.kind(), refused.toString());
    assertNull(refused.statusCode());
    await(sender.close());
  }

  @Test
  @DisplayName("https to the checked address still sends the URL's name as SNI and verifies the certificate against it")
  void tlsKeepsTheName() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("hooks.example");
    FakeWebhookReceiver tls = await(FakeWebhookReceiver.start(vertx, new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(certificate.keyCertOptions())));
    // generous timeouts: a first TLS handshake is slow on a busy machine
    WebhookSender sender = new WebhookSender(vertx, options(true, 15_000, 15_000),
        names(Map.of("hooks.example", List.of("127.0.0.1"), "other.example", List.of("127.0.0.1"))),
        new ClientSSLOptions().setTrustOptions(certificate.trustOptions()));
    WebhookSender.Outcome outcome = await(sender.send("https://hooks.example:" + tls.port() + "/in", SECRET, "alert", "a", "{}"));
    assertTrue(outcome.delivered(), outcome.toString());
    assertEquals("hooks.example", tls.received().get(0).serverName());
    WebhookSender.Outcome wrongName = await(sender.send("https://other.example:" + tls.port() + "/in", SECRET, "alert", "a", "{}"));
    assertEquals(WebhookSender.Kind.CONNECTION, wrongName.kind(), "a certificate for another name is refused: " + wrongName);
    assertEquals(1, tls.received().size());
    await(tls.close());
    await(sender.close());
  }
}
