package ai.codvid.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The data_mods protocol: changes to a project's data that a client applies, in order, to its
 * cached {@code project_data}.
 *
 * <p>A mod is {@code {"key_path": [...], "mode": "create" | "edit" | "del" | "append", "value": ...}}.
 * {@code key_path} walks the project data from its root: strings are object keys, integers are
 * array indexes (a negative index counts from the end, -1 being the last element). The server
 * only sends non-negative indexes.
 * <ul>
 *   <li>{@code create}: puts {@code value} under a new key of an object, or inserts it into an
 *       array at the index ({@code index == size} adds at the end).</li>
 *   <li>{@code edit}: replaces the value at the path, which must exist.</li>
 *   <li>{@code del}: removes the key or the array element at the path.</li>
 *   <li>{@code append}: adds {@code value} at the end of the array at the path, or concatenates
 *       the string {@code value} to the string at the path (a missing or null string counts as
 *       empty).</li>
 * </ul>
 * Every mod counts as one change of the project's {@code mod_count}.
 */
public final class DataMods {

  public static final String CREATE = "create";
  public static final String EDIT = "edit";
  public static final String DEL = "del";
  public static final String APPEND = "append";

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

  public static JsonArray path(Object... parts) {
    return new JsonArray(List.of(parts));
  }

  /**
   * Applies the mods in order to {@code projectData} (changed in place and returned). A mod
   * whose path does not lead anywhere fails with {@link IllegalArgumentException}.
   */
  public static JsonObject apply(JsonObject projectData, JsonArray mods) {
    for (Object mod : mods) {
      if (!(mod instanceof JsonObject m)) {
        throw new IllegalArgumentException("a data mod must be an object");
      }
      applyOne(projectData, m);
    }
    return projectData;
  }

  /** Applies one mod in place. */
  public static void applyOne(JsonObject projectData, JsonObject mod) {
    JsonArray keyPath = mod.getJsonArray("key_path");
    String mode = mod.getString("mode");
    if (keyPath == null || keyPath.isEmpty()) {
      throw new IllegalArgumentException("key_path must be a non-empty array");
    }
    Object parent = projectData;
    for (int i = 0; i < keyPath.size() - 1; i++) {
      parent = child(parent, keyPath.getValue(i));
    }
    Object last = keyPath.getValue(keyPath.size() - 1);
    Object value = copyOf(mod.getValue("value"));
    switch (mode == null ? "" : mode) {
      case CREATE -> create(parent, last, value);
      case EDIT -> {
        child(parent, last);
        set(parent, last, value);
      }
      case DEL -> delete(parent, last);
      case APPEND -> append(parent, last, value);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  /**
   * The MongoDB update that stores the effect of {@code mod} on a project document, given the
   * project data after the mod was applied ({@link #applyOne}). Array appends become
   * {@code $push}; everything else sets the value now at the path (so a string append stores
   * the whole string); deleting a key is {@code $unset}, deleting an array element rewrites
   * the array.
   */
  public static JsonObject storageUpdate(JsonObject dataAfter, JsonObject mod) {
    JsonArray keyPath = mod.getJsonArray("key_path");
    String mode = mod.getString("mode");
    Object parent = dataAfter;
    for (int i = 0; i < keyPath.size() - 1; i++) {
      parent = child(parent, keyPath.getValue(i));
    }
    Object last = keyPath.getValue(keyPath.size() - 1);
    String dotted = dotted(keyPath, keyPath.size());
    if (APPEND.equals(mode) && child(parent, last) instanceof JsonArray) {
      return new JsonObject().put("$push", new JsonObject().put(dotted, mod.getValue("value")));
    }
    if (DEL.equals(mode)) {
      if (parent instanceof JsonObject) {
        return new JsonObject().put("$unset", new JsonObject().put(dotted, ""));
      }
      String parentPath = dotted(keyPath, keyPath.size() - 1);
      return new JsonObject().put("$set", new JsonObject().put(parentPath, parent));
    }
    return new JsonObject().put("$set", new JsonObject().put(dotted, child(parent, last)));
  }

  private static String dotted(JsonArray keyPath, int length) {
    StringBuilder dotted = new StringBuilder();
    for (int i = 0; i < length; i++) {
      Object part = keyPath.getValue(i);
      if (part instanceof Number n && n.intValue() < 0) {
        throw new IllegalArgumentException("stored mods use absolute indexes");
      }
      if (part instanceof String s && (s.contains(".") || s.startsWith("$"))) {
        throw new IllegalArgumentException("key " + s + " cannot be stored");
      }
      dotted.append(i == 0 ? "" : ".").append(part);
    }
    return dotted.toString();
  }

  private static Object child(Object parent, Object key) {
    if (parent instanceof JsonObject obj && key instanceof String name) {
      if (!obj.containsKey(name)) {
        throw new IllegalArgumentException("no key " + name);
      }
      return obj.getValue(name);
    }
    if (parent instanceof JsonArray array && key instanceof Number n) {
      return array.getValue(index(array, n.intValue(), false));
    }
    throw new IllegalArgumentException("key_path element " + key + " does not fit " + kind(parent));
  }

  private static void set(Object parent, Object key, Object value) {
    if (parent instanceof JsonObject obj) {
      obj.put((String) key, value);
    } else {
      JsonArray array = (JsonArray) parent;
      array.set(index(array, ((Number) key).intValue(), false), value);
    }
  }

  private static void create(Object parent, Object key, Object value) {
    if (parent instanceof JsonObject obj && key instanceof String name) {
      obj.put(name, value);
    } else if (parent instanceof JsonArray array && key instanceof Number n) {
      array.getList().add(index(array, n.intValue(), true), value);
    } else {
      throw new IllegalArgumentException("key_path element " + key + " does not fit " + kind(parent));
    }
  }

  private static void delete(Object parent, Object key) {
    child(parent, key);
    if (parent instanceof JsonObject obj) {
      obj.remove((String) key);
    } else {
      JsonArray array = (JsonArray) parent;
      array.remove(index(array, ((Number) key).intValue(), false));
    }
  }

  private static void append(Object parent, Object key, Object value) {
    Object target = parent instanceof JsonObject obj && key instanceof String name && !obj.containsKey(name)
        ? null : child(parent, key);
    if (target instanceof JsonArray array) {
      array.add(value);
    } else if ((target == null || target instanceof String) && value instanceof String text) {
      set(parent, key, (target == null ? "" : (String) target) + text);
    } else {
      throw new IllegalArgumentException("append needs an array, or a string and a string value");
    }
  }

  private static int index(JsonArray array, int index, boolean insert) {
    int size = array.size();
    int resolved = index < 0 ? size + index : index;
    if (resolved < 0 || resolved > size || (!insert && resolved == size)) {
      throw new IllegalArgumentException("index " + index + " out of range (size " + size + ")");
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

  private static String kind(Object node) {
    return node instanceof JsonObject ? "an object" : node instanceof JsonArray ? "an array" : "a value";
  }

  private DataMods() {
  }
}
