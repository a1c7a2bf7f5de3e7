package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("data_mods, applied by the original clients' rules")
class DataModsTest {

  private static JsonObject userData() {
    JsonObject project = new JsonObject().put("mod_count", 7).put("ai_memory", new JsonObject())
        .put("chats", new JsonArray().add(new JsonObject().put("role", "user").put("text", "hi")));
    return new JsonObject().put("projects", new JsonObject().put("p", project).put("q", new JsonObject().put("mod_count", 1)));
  }

  private static JsonObject p(JsonObject userData) {
    return userData.getJsonObject("projects").getJsonObject("p");
  }

  private static JsonArray chunk(JsonObject... mods) {
    JsonArray array = new JsonArray();
    for (JsonObject mod : mods) {
      array.add(mod);
    }
    return array;
  }

  @Test
  @DisplayName("paths start at user_data's root: append adds a whole item to the list at ['projects', name, 'chats'] and edit replaces the text")
  void rootedPaths() {
    JsonObject d = DataMods.apply(userData(), chunk(DataMods.append(DataMods.projectPath("p", "chats"),
        new JsonObject().put("role", "assistant").put("text", "Hel"))));
    DataMods.apply(d, chunk(DataMods.edit(DataMods.projectPath("p", "chats", 1, "text"), "Hello")));
    assertEquals("Hello", p(d).getJsonArray("chats").getJsonObject(1).getString("text"));
    assertEquals(2, p(d).getJsonArray("chats").size());
    assertEquals(9, p(d).getLong("mod_count"), "one step per chunk");
    assertEquals(1, d.getJsonObject("projects").getJsonObject("q").getLong("mod_count"), "an untouched project keeps its count");
  }

  @Test
  @DisplayName("append onto a string replaces it by a list holding the value, as the clients do (so a server must never stream text by append)")
  void appendOntoAStringMakesAList() {
    JsonObject d = DataMods.apply(userData(), chunk(DataMods.append(DataMods.projectPath("p", "chats", 0, "text"), " there")));
    assertEquals(new JsonArray().add(" there"), p(d).getJsonArray("chats").getJsonObject(0).getJsonArray("text"));
    DataMods.apply(d, chunk(DataMods.append(DataMods.projectPath("p", "ai_memory", "notes"), "a")));
    assertEquals(new JsonArray().add("a"), p(d).getJsonObject("ai_memory").getJsonArray("notes"), "a missing key becomes a list");
  }

  @Test
  @DisplayName("a chunk counts one mod_count step for every project it touches, however many mods it carries; a path that is exactly mod_count does not count")
  void countsPerChunk() {
    JsonObject d = DataMods.apply(userData(), chunk(
        DataMods.del(DataMods.projectPath("p", "chats", 0)),
        DataMods.append(DataMods.projectPath("p", "chats"), new JsonObject().put("role", "assistant").put("text", "a")),
        DataMods.append(DataMods.projectPath("p", "chats"), new JsonObject().put("role", "assistant").put("text", "b")),
        DataMods.mod(DataMods.CREATE, DataMods.projectPath("q", "ai_memory"), new JsonObject())));
    assertEquals(8, p(d).getLong("mod_count"));
    assertEquals(2, d.getJsonObject("projects").getJsonObject("q").getLong("mod_count"));
    assertEquals("a", p(d).getJsonArray("chats").getJsonObject(0).getString("text"));

    DataMods.apply(d, chunk(DataMods.edit(DataMods.projectPath("p", "mod_count"), 100)));
    assertEquals(100, p(d).getLong("mod_count"), "editing mod_count itself is not counted");
    DataMods.apply(d, chunk(DataMods.edit(DataMods.projectPath("p", "mod_count"), 100), DataMods.edit(DataMods.projectPath("p", "chats", 0, "text"), "z")));
    assertEquals(101, p(d).getLong("mod_count"));
    DataMods.apply(d, chunk(DataMods.mod(DataMods.CREATE, DataMods.path("stream_test"), "x")));
    assertEquals(101, p(d).getLong("mod_count"), "a path outside projects counts for none");
    assertEquals("x", d.getString("stream_test"));
  }

  @Test
  @DisplayName("create sets a key (making missing parents), appends at index == length and replaces below it; del ignores what is not there; negative indexes count from the end")
  void createAndDel() {
    JsonObject d = DataMods.apply(userData(), chunk(
        DataMods.mod(DataMods.CREATE, DataMods.projectPath("p", "ai_memory", "tone", "style"), "friendly"),
        DataMods.mod(DataMods.CREATE, DataMods.projectPath("p", "chats", 1), new JsonObject().put("text", "second")),
        DataMods.mod(DataMods.CREATE, DataMods.projectPath("p", "chats", 0), new JsonObject().put("text", "first")),
        DataMods.edit(DataMods.projectPath("p", "chats", -1, "text"), "last"),
        DataMods.del(DataMods.projectPath("p", "chats", 5)),
        DataMods.del(DataMods.projectPath("p", "nothing"))));
    assertEquals("friendly", p(d).getJsonObject("ai_memory").getJsonObject("tone").getString("style"));
    assertEquals(new JsonArray().add(new JsonObject().put("text", "first")).add(new JsonObject().put("text", "last")), p(d).getJsonArray("chats"));
    DataMods.apply(d, chunk(DataMods.del(DataMods.projectPath("p", "chats", 0)), DataMods.del(DataMods.projectPath("p", "chats", 0))));
    assertEquals(new JsonArray(), p(d).getJsonArray("chats"));
  }

  @Test
  @DisplayName("a mod that leads nowhere is refused, and the chunk then counts nothing")
  void invalidPaths() {
    JsonObject d = userData();
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, chunk(DataMods.edit(DataMods.projectPath("p", "chats", 5, "text"), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, chunk(DataMods.edit(DataMods.projectPath("p", "nope"), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, chunk(DataMods.append(DataMods.projectPath("zz", "chats"), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, chunk(DataMods.mod("move", DataMods.projectPath("p", "chats"), 1))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, chunk(DataMods.mod(DataMods.CREATE, DataMods.projectPath("p", "chats", 3), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, chunk(DataMods.edit(DataMods.projectPath("p", "chats", 0.0, "text"), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(d, new JsonArray().add("not a mod")));
    assertEquals(userData(), d);
  }
}
