package ai.codvid.ai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("data_mods")
class DataModsTest {

  private static JsonObject data() {
    return new JsonObject().put("mod_count", 0).put("ai_memory", new JsonObject())
        .put("chats", new JsonArray().add(new JsonObject().put("role", "user").put("text", "hi")));
  }

  @Test
  @DisplayName("append adds to an array or concatenates to a string; edit replaces; create inserts; del removes; negative indexes count from the end")
  void modes() {
    JsonObject d = DataMods.apply(data(), new JsonArray()
        .add(DataMods.append(DataMods.path("chats"), new JsonObject().put("role", "assistant").put("text", "")))
        .add(DataMods.append(DataMods.path("chats", 1, "text"), "Hel"))
        .add(DataMods.append(DataMods.path("chats", -1, "text"), "lo"))
        .add(DataMods.edit(DataMods.path("chats", 0, "text"), "hi!"))
        .add(DataMods.mod("create", DataMods.path("ai_memory", "tone"), "friendly"))
        .add(DataMods.mod("create", DataMods.path("chats", 0), new JsonObject().put("role", "event")))
        .add(DataMods.mod("del", DataMods.path("chats", 0), null)));
    assertEquals("hi!", d.getJsonArray("chats").getJsonObject(0).getString("text"));
    assertEquals("Hello", d.getJsonArray("chats").getJsonObject(1).getString("text"));
    assertEquals(2, d.getJsonArray("chats").size());
    assertEquals("friendly", d.getJsonObject("ai_memory").getString("tone"));
  }

  @Test
  @DisplayName("a mod that leads nowhere is refused")
  void invalidPaths() {
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(data(), new JsonArray().add(DataMods.edit(DataMods.path("chats", 5, "text"), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(data(), new JsonArray().add(DataMods.edit(DataMods.path("nope"), "x"))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(data(), new JsonArray().add(DataMods.mod("move", DataMods.path("chats"), 1))));
    assertThrows(IllegalArgumentException.class, () -> DataMods.apply(data(), new JsonArray().add(DataMods.append(DataMods.path("chats", 0, "text"), 5))));
  }

  @Test
  @DisplayName("the stored form: array appends are $push, a string append sets the whole string, deleting an array element rewrites the array")
  void storageUpdates() {
    JsonObject d = data();
    JsonObject push = DataMods.append(DataMods.path("chats"), new JsonObject().put("text", "a"));
    DataMods.applyOne(d, push);
    assertEquals(new JsonObject().put("$push", new JsonObject().put("chats", new JsonObject().put("text", "a"))), DataMods.storageUpdate(d, push));
    JsonObject text = DataMods.append(DataMods.path("chats", 1, "text"), "b");
    DataMods.applyOne(d, text);
    assertEquals(new JsonObject().put("$set", new JsonObject().put("chats.1.text", "ab")), DataMods.storageUpdate(d, text));
    JsonObject del = DataMods.mod("del", DataMods.path("chats", 0), null);
    DataMods.applyOne(d, del);
    assertEquals(new JsonObject().put("$set", new JsonObject().put("chats", d.getJsonArray("chats"))), DataMods.storageUpdate(d, del));
  }
}
