package ai.codvid.insights;

import ai.codvid.CodvidException;
import ai.codvid.tracking.TaskKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A download of a task's whole history: one row per comment of every snapshot, per post of every
 * snapshot, or per series point; CSV (RFC 4180: header row, CRLF, quoted where needed, UTF-8,
 * text cells starting with {@code = + - @}, tab or CR prefixed with {@code '} so a spreadsheet
 * does not run them as formulas) or a JSON array of row objects.
 *
 * <p>It is written page by page: the snapshots of a page are read by id, their rows written, and
 * the next page is read only once the client has taken the previous one (the writer's queue has
 * drained), so a large export holds one page in memory, never the history.
 */
public final class Export {

  public enum What {
    COMMENTS(List.of("scraped_at", "post_url", "post_type", "caption", "owner_username", "text", "sentiment", "score",
        "language", "likes_count")),
    POSTS(List.of("scraped_at", "post_id", "post_url", "post_type", "posted_at", "caption", "likes_count", "likes_hidden",
        "comments_count", "views", "followers", "engagement_rate", "views_engagement_rate", "positive", "negative", "neutral")),
    SERIES(List.of("scraped_at", "followers", "engagement_rate", "views_engagement_rate", "positive_pct", "negative_pct",
        "neutral_pct", "net_sentiment", "comments"));

    final List<String> columns;

    What(List<String> columns) {
      this.columns = columns;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code comments | posts | series}; anything else is a 400. */
    public static What parse(String value) {
      for (What w : values()) {
        if (w.wireName().equals(value)) {
          return w;
        }
      }
      throw CodvidException.badRequest("what must be \"comments\", \"posts\" or \"series\"");
    }
  }

  public enum Format {
    CSV("text/csv; charset=utf-8; header=present"), JSON("application/json; charset=utf-8");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code csv | json}; anything else is a 400. */
    public static Format parse(String value) {
      for (Format f : values()) {
        if (f.wireName().equals(value)) {
          return f;
        }
      }
      throw CodvidException.badRequest("format must be \"csv\" or \"json\"");
    }
  }

  private static final String CRLF = "\r\n";
  private static final int SERIES_PAGE = 500;

  private final InsightsService.TaskRef task;
  private final List<ScrapePoint> points;
  private final What what;
  private final Format format;
  private final InsightsStore store;
  private final int pageSnapshots;
  private boolean firstRow = true;
  private long rows;

  Export(InsightsService.TaskRef task, List<ScrapePoint> points, What what, Format format, InsightsStore store,
      int pageSnapshots) {
    this.task = task;
    this.points = points;
    this.what = what;
    this.format = format;
    this.store = store;
    this.pageSnapshots = pageSnapshots;
  }

  public String contentType() {
    return format.contentType;
  }

  /** {@code codvid-<target>-<what>.<format>}, with only safe characters. */
  public String fileName() {
    String target = task.kind() == TaskKind.PROFILE ? task.target() : "reel-" + task.taskId();
    String safe = target == null ? task.taskId() : target.replaceAll("[^A-Za-z0-9._-]", "_");
    return "codvid-" + safe + "-" + what.wireName() + "." + format.wireName();
  }

  /** The rows written so far. */
  public long rows() {
    return rows;
  }

  /**
   * Writes the whole export (without ending {@code out}). Fails, and stops reading, when
   * {@code closed} completes first (the client went away).
   */
  public Future<Void> writeTo(WriteStream<Buffer> out, Future<Void> closed) {
    Buffer head = Buffer.buffer(format == Format.CSV ? csvRow(new ArrayList<>(what.columns)) : "[");
    Future<Void> chain = write(out, head, closed);
    if (what == What.SERIES) {
      for (int i = 0; i < points.size(); i += SERIES_PAGE) {
        List<ScrapePoint> page = points.subList(i, Math.min(points.size(), i + SERIES_PAGE));
        chain = chain.compose(v -> {
          Buffer buffer = Buffer.buffer();
          page.forEach(p -> row(buffer, seriesRow(p)));
          return write(out, buffer, closed);
        });
      }
    } else {
      for (int i = 0; i < points.size(); i += pageSnapshots) {
        List<ScrapePoint> page = points.subList(i, Math.min(points.size(), i + pageSnapshots));
        chain = chain.compose(v -> page(page)).compose(buffer -> write(out, buffer, closed));
      }
    }
    return chain.compose(v -> format == Format.JSON ? write(out, Buffer.buffer(firstRow ? "]" : "\n]"), closed)
        : Future.succeededFuture());
  }

  private Future<Buffer> page(List<ScrapePoint> page) {
    List<String> ids = new ArrayList<>(page.size());
    page.forEach(p -> ids.add(p.snapshotId()));
    return store.snapshots(ids, new JsonObject().put("data", 1).put("kind", 1).put("scraped_at", 1)).map(docs -> {
      Map<String, JsonObject> byId = new HashMap<>();
      docs.forEach(d -> byId.put(d.getString("_id"), d));
      Buffer buffer = Buffer.buffer();
      for (ScrapePoint point : page) {
        JsonObject snapshot = byId.get(point.snapshotId());
        if (snapshot != null) {
          (what == What.COMMENTS ? commentRows(point, snapshot) : postRows(point, snapshot)).forEach(r -> row(buffer, r));
        }
      }
      return buffer;
    });
  }

  /** Writes, then waits until the writer can take more (or the client is gone). */
  private static Future<Void> write(WriteStream<Buffer> out, Buffer buffer, Future<Void> closed) {
    if (closed.isComplete()) {
      return Future.failedFuture("the client closed the connection");
    }
    if (buffer.length() > 0) {
      out.write(buffer);
    }
    if (!out.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    out.drainHandler(v -> drained.tryComplete());
    closed.onComplete(v -> drained.tryFail("the client closed the connection"));
    return drained.future();
  }

  // ---- rows ----

  private List<Map<String, Object>> commentRows(ScrapePoint point, JsonObject snapshot) {
    List<Map<String, Object>> out = new ArrayList<>();
    TaskKind kind = kind(snapshot);
    for (JsonObject post : SnapshotFigures.posts(kind, snapshot.getJsonObject("data"))) {
      for (JsonObject comment : SnapshotFigures.topComments(post)) {
        Map<String, Object> row = new HashMap<>();
        row.put("scraped_at", point.scrapedAt());
        row.put("post_url", post.getValue("post_url"));
        row.put("post_type", post.getValue("type"));
        row.put("caption", post.getValue("caption"));
        row.put("owner_username", comment.getValue("owner_username"));
        row.put("text", comment.getValue("text"));
        row.put("sentiment", SnapshotFigures.label(comment));
        row.put("score", comment.getValue("sentiment_score"));
        row.put("language", comment.getValue("language"));
        row.put("likes_count", comment.getValue("likes_count"));
        out.add(row);
      }
    }
    return out;
  }

  private List<Map<String, Object>> postRows(ScrapePoint point, JsonObject snapshot) {
    List<Map<String, Object>> out = new ArrayList<>();
    TaskKind kind = kind(snapshot);
    for (JsonObject post : SnapshotFigures.posts(kind, snapshot.getJsonObject("data"))) {
      PostPoint p = SnapshotFigures.post(kind, post);
      Map<String, Object> row = new HashMap<>();
      row.put("scraped_at", point.scrapedAt());
      row.put("post_id", p.id());
      row.put("post_url", p.url());
      row.put("post_type", p.type());
      row.put("posted_at", p.timestamp());
      row.put("caption", post.getValue("caption"));
      row.put("likes_count", p.likes());
      row.put("likes_hidden", p.likesHidden());
      row.put("comments_count", p.comments());
      row.put("views", p.views());
      row.put("followers", point.followers());
      row.put("engagement_rate", Metrics.round2(p.engagementRate(point.followers())));
      row.put("views_engagement_rate", Metrics.round2(p.viewsEngagementRate()));
      row.put("positive", p.positive());
      row.put("negative", p.negative());
      row.put("neutral", p.neutral());
      out.add(row);
    }
    return out;
  }

  private static Map<String, Object> seriesRow(ScrapePoint point) {
    return new HashMap<>(Metrics.seriesPoint(point).getMap());
  }

  private static TaskKind kind(JsonObject snapshot) {
    return TaskKind.REEL.wireName().equals(snapshot.getString("kind")) ? TaskKind.REEL : TaskKind.PROFILE;
  }

  private void row(Buffer buffer, Map<String, Object> row) {
    rows++;
    if (format == Format.CSV) {
      List<Object> cells = new ArrayList<>(what.columns.size());
      for (String column : what.columns) {
        Object value = row.get(column);
        cells.add(value != null && (column.equals("scraped_at") || column.equals("posted_at")) ? iso(value) : value);
      }
      buffer.appendString(csvRow(cells));
    } else {
      JsonObject json = new JsonObject();
      what.columns.forEach(c -> json.put(c, row.get(c)));
      buffer.appendString(firstRow ? "\n" : ",\n").appendBuffer(json.toBuffer());
      firstRow = false;
    }
  }

  private static String iso(Object epochSeconds) {
    return epochSeconds instanceof Number n ? Instant.ofEpochSecond(n.longValue()).toString() : String.valueOf(epochSeconds);
  }

  // ---- CSV ----

  static String csvRow(List<Object> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(csvCell(cells.get(i)));
    }
    return line.append(CRLF).toString();
  }

  /**
   * One RFC 4180 cell: numbers as plain decimals, text guarded against formula injection
   * (OWASP: a leading {@code = + - @}, tab or CR gets a {@code '}) and quoted when it holds a
   * comma, a quote, CR or LF (quotes doubled). Null is an empty cell.
   */
  static String csvCell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
