package ai.codvid.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The data_mods protocol exactly as the original Codvid clients (the Jupyter demo client and the
 * Streamlit app) apply it; this class is the reference implementation the tests use as a client.
 *
 * <p>A client holds {@code user_data = {"projects": {<name>: <project_data>}}}. A chunk of the
 * stream is {@code {"result": true, "response": {"data_mods": [mod, ...]}}}, a mod
 * {@code {"key_path": [...], "mode": "create" | "edit" | "del" | "append", "value": ...}}.
 * {@code key_path} starts at the root of {@code user_data} ({@code ["projects", name, "chats", 4, "text"]}):
 * strings are object keys, integers list indexes (a negative index counts from the end, as in
 * Python; {@code 1.0} is not an index). Walking to the parent, a missing object key fails, except in {@code create} mode
 * where an empty object is made for it; an index past the end fails. At the last key:
 * <ul>
 *   <li>{@code append}: appends {@code value} to the <b>list</b> there; a missing key or a
 *       non-list value is first replaced by an empty list (so appending a string to a string
 *       gives a list, never a longer string).</li>
 *   <li>{@code edit}: replaces the value of an existing key or index.</li>
 *   <li>{@code create}: sets the key of an object (new or not); in a list, index == length
 *       appends and a smaller index replaces.</li>
 *   <li>{@code del}: removes the key or the element; a missing key or an index past the end is
 *       ignored.</li>
 * </ul>
 * After applying a chunk, the client adds 1 to {@code mod_count} of every project the chunk
 * touched: every project named by a path {@code ["projects", name, …]}, except by a path that
 * is exactly {@code ["projects", name, "mod_count"]}. One chunk is one {@code mod_count} step,
 * however many mods it carries.
 */
public final class DataMods {

  public static final String CREATE = "create";
  public static final String EDIT = "edit";
  public static final String DEL = "del";
  public static final String APPEND = "append";
  public static final String PROJECTS = "projects";
  public static final String MOD_COUNT = "mod_count";

  public static JsonObject mod(String mode, JsonArray keyPath, Object value) {
    JsonObject mod = new JsonObject().put("key_path", keyPath).put("mode", mode);
    if (!DEL.equals(mode)) {
      mod.put("value", value);
    }
    return mod;
  }

  public static JsonObject append(JsonArray keyPath, Object value) {
    return mod(APPEND, keyPath, value);
  }

  public static JsonObject edit(JsonArray keyPath, Object value) {
    return mod(EDIT, keyPath, value);
  }

  public static JsonObject del(JsonArray keyPath) {
    return mod(DEL, keyPath, null);
  }

  public static JsonArray path(Object... parts) {
    return new JsonArray(List.of(parts));
  }

  /** {@code ["projects", project, rest...]}: a path inside one project's data. */
  public static JsonArray projectPath(String project, Object... rest) {
    JsonArray path = new JsonArray().add(PROJECTS).add(project);
    for (Object part : rest) {
      path.add(part);
    }
    return path;
  }

  /** One streamed line: {@code {"result": true, "response": {"data_mods": mods}}}. */
  public static JsonObject chunk(JsonArray mods) {
    return new JsonObject().put("result", true).put("response", new JsonObject().put("data_mods", mods));
  }

  /**
   * Applies one chunk's mods, in order, to {@code userData} (changed in place and returned),
   * then adds 1 to {@code mod_count} of each project the chunk touched that {@code userData}
   * holds. A mod that cannot be applied fails with {@link IllegalArgumentException} (as the
   * demo client raises), leaving the mods before it applied and no count changed.
   */
  public static JsonObject apply(JsonObject userData, JsonArray mods) {
    Set<String> touched = new LinkedHashSet<>();
    for (Object mod : mods) {
      if (!(mod instanceof JsonObject m)) {
        throw new IllegalArgumentException("a data mod must be an object");
      }
      String project = touchedProject(m.getValue("key_path"));
      if (project != null) {
        touched.add(project);
      }
      applyOne(userData, m);
    }
    JsonObject projects = userData.getValue(PROJECTS) instanceof JsonObject p ? p : new JsonObject();
    for (String project : touched) {
      if (projects.getValue(project) instanceof JsonObject data) {
        Object count = data.getValue(MOD_COUNT);
        data.put(MOD_COUNT, (count instanceof Number n ? n.longValue() : 0L) + 1);
      }
    }
    return userData;
  }

  /** The project whose mod_count a mod at this path counts for, or null. */
  static String touchedProject(Object keyPath) {
    if (keyPath instanceof JsonArray path && path.size() >= 2 && PROJECTS.equals(path.getValue(0))
        && path.getValue(1) instanceof String project
        && !(path.size() == 3 && MOD_COUNT.equals(path.getValue(2)))) {
      return project;
    }
    return null;
  }

  /** Applies one mod in place (no mod_count change). */
  public static void applyOne(JsonObject userData, JsonObject mod) {
    if (!(mod.getValue("key_path") instanceof JsonArray keyPath) || keyPath.isEmpty()) {
      throw new IllegalArgumentException("key_path must be a non-empty array");
    }
    Object modeValue = mod.getValue("mode");
    String mode = modeValue instanceof String s ? s : "";
    if (!List.of(CREATE, EDIT, DEL, APPEND).contains(mode)) {
      throw new IllegalArgumentException("unknown mode " + modeValue);
    }
    Object value = copyOf(mod.getValue("value"));
    Object target = userData;
    for (int i = 0; i < keyPath.size() - 1; i++) {
      Object key = keyPath.getValue(i);
      if (target instanceof JsonObject obj && key instanceof String name) {
        if (!obj.containsKey(name)) {
          if (!CREATE.equals(mode)) {
            throw new IllegalArgumentException("key '" + name + "' not found in path " + keyPath.encode());
          }
          obj.put(name, new JsonObject());
        }
        target = obj.getValue(name);
      } else if (target instanceof JsonArray array && isIndex(key)) {
        target = array.getValue(existing(array, index(key), keyPath));
      } else {
        throw new IllegalArgumentException("cannot walk key " + key + " of path " + keyPath.encode());
      }
    }
    Object last = keyPath.getValue(keyPath.size() - 1);
    if (target instanceof JsonObject obj && last instanceof String name) {
      switch (mode) {
        case CREATE -> obj.put(name, value);
        case EDIT -> {
          if (!obj.containsKey(name)) {
            throw new IllegalArgumentException("key '" + name + "' not found for edit");
          }
          obj.put(name, value);
        }
        case DEL -> obj.remove(name);
        default -> {
          if (!(obj.getValue(name) instanceof JsonArray)) {
            obj.put(name, new JsonArray());
          }
          obj.getJsonArray(name).add(value);
        }
      }
    } else if (target instanceof JsonArray array && isIndex(last)) {
      int index = index(last);
      switch (mode) {
        case CREATE -> {
          if (index == array.size()) {
            array.add(value);
          } else {
            array.set(existing(array, index, keyPath), value);
          }
        }
        case EDIT -> array.set(existing(array, index, keyPath), value);
        case DEL -> {
          if (index < array.size()) {
            array.remove(existing(array, index, keyPath));
          }
        }
        default -> {
          int at = existing(array, index, keyPath);
          if (!(array.getValue(at) instanceof JsonArray)) {
            array.set(at, new JsonArray());
          }
          array.getJsonArray(at).add(value);
        }
      }
    } else {
      throw new IllegalArgumentException("cannot " + mode + " at key " + last + " of path " + keyPath.encode());
    }
  }

  private static boolean isIndex(Object key) {
    return key instanceof Integer || key instanceof Long;
  }

  private static int index(Object key) {
    return ((Number) key).intValue();
  }

  /** Python's rule: 0 ≤ i < size, or a negative index counting from the end. */
  private static int existing(JsonArray array, int index, JsonArray keyPath) {
    int resolved = index < 0 ? array.size() + index : index;
    if (resolved < 0 || resolved >= array.size()) {
      throw new IllegalArgumentException("index " + index + " out of range in path " + keyPath.encode());
    }
    return resolved;
  }

  private static Object copyOf(Object value) {
    if (value instanceof JsonObject obj) {
      return obj.copy();
    }
    if (value instanceof JsonArray array) {
      return array.copy();
    }
    return value;
  }

  private DataMods() {
  }
}
