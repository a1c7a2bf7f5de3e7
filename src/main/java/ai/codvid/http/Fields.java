package ai.codvid.http;

import ai.codvid.CodvidException;
import io.vertx.core.json.JsonObject;

/**
 * Validation of request fields. Each accessor returns a value of the expected type or fails
 * with a 400 that names the field, so no client value reaches a query as an operator.
 */
public final class Fields {

  /** A required string: missing or empty → "missing KEY!". */
  public static String requiredString(JsonObject data, String key, int maxLength) {
    String value = optionalString(data, key, maxLength);
    if (value == null || value.isEmpty()) {
      throw CodvidException.badRequest("missing " + key + "!");
    }
    return value;
  }

  /** An optional string (null when absent): wrong type, too long or control characters → 400. */
  public static String optionalString(JsonObject data, String key, int maxLength) {
    return checkedString(data, key, maxLength, false);
  }

  /** As {@link #optionalString} but allows newlines and tabs (free text such as messages). */
  public static String optionalText(JsonObject data, String key, int maxLength) {
    return checkedString(data, key, maxLength, true);
  }

  private static String checkedString(JsonObject data, String key, int maxLength, boolean multiline) {
    Object raw = data.getValue(key);
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String value)) {
      throw CodvidException.badRequest(key + " must be a string");
    }
    if (value.codePointCount(0, value.length()) > maxLength) {
      throw CodvidException.badRequest(key + " is too long (at most " + maxLength + " characters)");
    }
    boolean control = multiline
        ? value.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL && c != '\n' && c != '\r' && c != '\t')
        : hasControlCharacters(value);
    if (control) {
      throw CodvidException.badRequest(key + " must not contain control characters");
    }
    return value;
  }

  public static boolean optionalBoolean(JsonObject data, String key, boolean def) {
    Object raw = data.getValue(key);
    if (raw == null) {
      return def;
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw CodvidException.badRequest(key + " must be true or false");
  }

  /** An optional number (strings holding a number are accepted, as query parameters are strings). */
  public static Double optionalNumber(JsonObject data, String key) {
    Object raw = data.getValue(key);
    if (raw == null) {
      return null;
    }
    double value;
    if (raw instanceof Number n) {
      value = n.doubleValue();
    } else if (raw instanceof String s) {
      try {
        value = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw CodvidException.badRequest(key + " must be a number");
      }
    } else {
      throw CodvidException.badRequest(key + " must be a number");
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw CodvidException.badRequest(key + " must be a finite number");
    }
    return value;
  }

  /** Cc characters (NUL, ESC, DEL …). Format characters such as the emoji joiner are fine. */
  public static boolean hasControlCharacters(String value) {
    return value.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL);
  }

  private Fields() {
  }
}
