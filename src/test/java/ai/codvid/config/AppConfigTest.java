package ai.codvid.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration lookup")
class AppConfigTest {

  @Test
  @DisplayName("an environment value wins over the file, for nested and for top-level keys (CODVID_CLUSTERED over \"clustered\": false)")
  void environmentWinsOverFile() {
    JsonObject merged = new JsonObject()
        .put("clustered", false)
        .put("http", new JsonObject().put("port", 8080))
        .put("CODVID_CLUSTERED", "true")
        .put("CODVID_HTTP_PORT", "9191");
    AppConfig config = AppConfig.of(merged);
    assertTrue(config.clustered());
    assertEquals(9191, config.httpPort());
  }

  @Test
  @DisplayName("file values apply when nothing overrides them; bad values fail with the variable's name")
  void fileDefaultsAndBadValues() {
    AppConfig config = AppConfig.of(new JsonObject().put("http", new JsonObject().put("port", 8081)).put("CODVID_CLUSTERED", "perhaps"));
    assertEquals(8081, config.httpPort());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::clustered);
    assertTrue(e.getMessage().contains("CODVID_CLUSTERED"), e.getMessage());
    assertEquals("CODVID_APIFY_BASE_URL", AppConfig.envName("apify.base_url"));
  }
}
