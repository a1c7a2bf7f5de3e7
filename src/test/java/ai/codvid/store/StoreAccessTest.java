package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.support.StoreFixtures;
import ai.codvid.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("No open door: only holders of the generated credentials reach the embedded store")
class StoreAccessTest {

  private Path dir;
  private EmbeddedMongo store;

  @BeforeEach
  void start() throws Exception {
    dir = TestNode.tempDir();
    StoreFixtures.seed(dir, 5);
    store = EmbeddedMongo.start(dir, 0);
  }

  @AfterEach
  void stop() {
    store.shutdown();
  }

  @Test
  @DisplayName("the data directory is 0700 and the credentials, URI and data file 0600")
  void ownerOnlyFiles() throws Exception {
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    for (String name : List.of("store-credentials", "store.uri", "codvid.mv", "codvid.mv.sums")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
    }
  }

  @Test
  @DisplayName("a connection that does not authenticate gets Unauthorized (13) for find users")
  void unauthenticatedRefused() throws Exception {
    assertEquals("code " + WireServer.UNAUTHORIZED, WireProbe.find(store.port()));
  }

  @Test
  @DisplayName("a client with a wrong password is refused; with the generated one it reads")
  void wrongPasswordRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String wrong = StoreCredentials.uri("not-the-password", store.port());
      MongoClient intruder = MongoClient.create(vertx, new JsonObject().put("connection_string", wrong).put("db_name", "codvid")
          .put("serverSelectionTimeoutMS", 5000));
      ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> intruder.count("projects", new JsonObject()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      assertTrue(String.valueOf(refused.getCause()).contains("Authentication failed")
          || String.valueOf(refused.getCause()).contains("Exception authenticating"), String.valueOf(refused.getCause()));
      assertEquals(5, StoreFixtures.count(store.connectionString()));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("another OS user (nobody) can neither read the credentials nor query the store")
  void otherUserLockedOut() throws Exception {
    Assumptions.assumeTrue(StoreFixtures.isRoot() && StoreFixtures.hasCommand("setpriv"),
        "needs root and setpriv to run a process as another user: skipped");
    Path classes = Files.createTempDirectory("codvid-probe");
    Files.setPosixFilePermissions(classes, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = classes.resolve("ai/codvid/store/WireProbe.class");
    Files.createDirectories(target.getParent());
    Files.copy(Path.of(WireProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("ai/codvid/store/WireProbe.class"), target);
    for (Path p = target; !p.equals(classes.getParent()); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process probe = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        java, "-cp", classes.toString(), "ai.codvid.store.WireProbe", String.valueOf(store.port()), dir.toString())
        .redirectErrorStream(true).start();
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
    String output = new String(probe.getInputStream().readAllBytes());
    assertEquals(0, probe.exitValue(), output);
    assertTrue(output.contains("credentials: denied"), output);
    assertTrue(output.contains("find: code " + WireServer.UNAUTHORIZED), output);
    assertNotEquals(-1, output.indexOf("find:"), output);
  }
}
