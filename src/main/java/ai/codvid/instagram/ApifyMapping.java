package ai.codvid.instagram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Apify's dataset items (camelCase, UPSTREAM.md) → our model, with the quirks handled: error
 * items are not data, hidden counts (-1) become null, ISO-8601 timestamps become epoch seconds,
 * {@code productType "clips"} is a reel and {@code "Sidecar"} a carousel, hashtags and mentions
 * carry their '#' / '@'.
 */
public final class ApifyMapping {

  public static final String SOURCE = "apify";

  private ApifyMapping() {
  }

  /** An item that stands in for data that could not be scraped ({@code "error": "no_items"} …). */
  public static boolean isErrorItem(Object item) {
    return !(item instanceof JsonObject json) || json.getValue("error") != null;
  }

  /** The data items of a dataset, error items and non-objects left out. */
  public static List<JsonObject> dataItems(JsonArray items) {
    List<JsonObject> data = new ArrayList<>();
    for (Object item : items) {
      if (!isErrorItem(item)) {
        data.add((JsonObject) item);
      }
    }
    return data;
  }

  /** A profile item; a private profile gets no posts whatever the item lists. */
  public static InstagramProfile profile(JsonObject item, String requestedUsername) {
    return profile(item, requestedUsername, SOURCE);
  }

  /** A profile item mapped with another {@code source} label (the sample source produces Apify items too). */
  public static InstagramProfile profile(JsonObject item, String requestedUsername, String source) {
    String username = text(item, "username");
    if (username == null) {
      username = requestedUsername;
    }
    boolean isPrivate = item.getValue("private") instanceof Boolean b ? b : Boolean.parseBoolean(text(item, "private"));
    List<InstagramPost> posts = new ArrayList<>();
    if (!isPrivate && item.getValue("latestPosts") instanceof JsonArray latest) {
      for (JsonObject post : dataItems(latest)) {
        posts.add(post(post, username, source));
      }
    }
    String picture = text(item, "profilePicUrlHD");
    if (picture == null) {
      picture = text(item, "profilePicUrl");
    }
    return new InstagramProfile(username, text(item, "fullName"), text(item, "biography"),
        count(item, "followersCount"), count(item, "followsCount"), count(item, "postsCount"),
        count(item, "igtvVideoCount"), picture, isPrivate, Boolean.TRUE.equals(item.getValue("verified")),
        List.copyOf(posts), source);
  }

  /** A post item (from latestPosts or the posts call), with the comments it carries. */
  public static InstagramPost post(JsonObject item, String fallbackOwner) {
    return post(item, fallbackOwner, SOURCE);
  }

  /** A post item mapped with another {@code source} label. */
  public static InstagramPost post(JsonObject item, String fallbackOwner, String source) {
    String shortCode = text(item, "shortCode");
    String id = text(item, "id");
    String url = text(item, "url");
    if (url == null && shortCode != null) {
      url = "https://www.instagram.com/p/" + shortCode + "/";
    }
    String owner = text(item, "ownerUsername");
    List<InstagramComment> comments = new ArrayList<>();
    if (item.getValue("latestComments") instanceof JsonArray latest) {
      for (JsonObject comment : dataItems(latest)) {
        comments.add(comment(comment));
      }
    }
    return new InstagramPost(id != null ? id : shortCode, shortCode, url, epochSeconds(item.getValue("timestamp")),
        postType(text(item, "type"), text(item, "productType")), text(item, "caption"),
        count(item, "likesCount"), count(item, "commentsCount"), count(item, "videoViewCount"),
        count(item, "videoPlayCount"), tags(item.getValue("hashtags"), "#"), tags(item.getValue("mentions"), "@"),
        Boolean.TRUE.equals(item.getValue("isPinned")), owner != null ? owner : fallbackOwner,
        List.copyOf(comments), source);
  }

  /** A comment item (from latestComments or the comments call). */
  public static InstagramComment comment(JsonObject item) {
    String owner = text(item, "ownerUsername");
    if (owner == null && item.getValue("owner") instanceof JsonObject o) {
      owner = text(o, "username");
    }
    String body = item.getValue("text") instanceof String s ? s : "";
    return new InstagramComment(text(item, "id"), body, owner, epochSeconds(item.getValue("timestamp")),
        count(item, "likesCount"), count(item, "repliesCount"));
  }

  /** "reel" for {@code productType "clips"}, "carousel" for {@code type "Sidecar"}, else "post". */
  public static String postType(String type, String productType) {
    if ("clips".equalsIgnoreCase(productType)) {
      return "reel";
    }
    if ("Sidecar".equalsIgnoreCase(type)) {
      return "carousel";
    }
    return "post";
  }

  /** ISO-8601 (with zone or offset) or a number of seconds / milliseconds → epoch seconds; null when unreadable. */
  public static Long epochSeconds(Object value) {
    if (value instanceof Number n) {
      long v = n.longValue();
      return v > 100_000_000_000L ? v / 1000 : v;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      return null;
    }
    String t = s.strip();
    try {
      return Instant.parse(t).getEpochSecond();
    } catch (DateTimeParseException notInstant) {
      try {
        return OffsetDateTime.parse(t).toEpochSecond();
      } catch (DateTimeParseException notOffset) {
        try {
          return epochSeconds(Long.parseLong(t));
        } catch (NumberFormatException notNumber) {
          return null;
        }
      }
    }
  }

  /** A count ≥ 0, or null when missing, hidden (-1) or unreadable. */
  static Long count(JsonObject item, String key) {
    Object v = item.getValue(key);
    long n;
    if (v instanceof Number number) {
      n = number.longValue();
    } else if (v instanceof String s) {
      try {
        n = Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return n < 0 ? null : n;
  }

  static List<String> tags(Object value, String prefix) {
    List<String> tags = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object tag : array) {
        if (tag instanceof String s && !s.isBlank()) {
          String t = s.strip();
          tags.add(t.startsWith(prefix) ? t : prefix + t);
        }
      }
    }
    return List.copyOf(tags);
  }

  private static String text(JsonObject item, String key) {
    Object v = item.getValue(key);
    if (v == null) {
      return null;
    }
    String s = v.toString();
    return s.isBlank() ? null : s;
  }
}
