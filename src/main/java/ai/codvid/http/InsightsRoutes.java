package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.insights.Export;
import ai.codvid.insights.InsightsService;
import ai.codvid.tracking.TrackingTasks;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Insights under {@code /codvid-ai/ig-tracking}: {@code insights/<task_id>}, {@code benchmark}
 * and {@code export/<task_id>}, each by GET or POST, for the task's owner only (another user's
 * task is 404, exactly as an unknown id).
 */
final class InsightsRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(InsightsRoutes.class);
  private static final String BASE = "/ig-tracking/";
  static final int DEFAULT_WINDOW_DAYS = 30;
  static final int MAX_WINDOW_DAYS = 365;

  private final InsightsService insights;

  InsightsRoutes(InsightsService insights) {
    this.insights = insights;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    router.route(Api.path(BASE + "insights/:id")).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(authenticated).handler(Reply.handler(this::taskInsights));
    router.route(Api.path(BASE + "benchmark")).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(authenticated).handler(Reply.handler(this::benchmark));
    router.route(Api.path(BASE + "export/:id")).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(authenticated).handler(this::export);
  }

  private Future<Reply> taskInsights(RoutingContext ctx) {
    int window = windowDays(ctx);
    return insights.insights(Authenticated.userId(ctx), taskId(ctx), window).map(Reply::ok);
  }

  private Future<Reply> benchmark(RoutingContext ctx) {
    int window = windowDays(ctx);
    return insights.benchmark(Authenticated.userId(ctx), window).map(Reply::ok);
  }

  /**
   * Streams the download. Inputs are checked and the task located before anything is sent, so
   * those failures get the usual envelope; a failure after the first bytes resets the connection,
   * so a client never takes a cut-off file for a whole one.
   */
  private void export(RoutingContext ctx) {
    Export.What what;
    Export.Format format;
    String id;
    try {
      what = Export.What.parse(param(ctx, "what", "comments"));
      format = Export.Format.parse(param(ctx, "format", "csv"));
      id = taskId(ctx);
    } catch (CodvidException e) {
      ctx.fail(e);
      return;
    }
    insights.export(Authenticated.userId(ctx), id, what, format).onFailure(ctx::fail).onSuccess(export -> {
      HttpServerResponse response = ctx.response();
      Promise<Void> closed = Promise.promise();
      response.closeHandler(v -> closed.tryComplete());
      response.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, export.contentType())
          .putHeader("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"");
      export.writeTo(response, closed.future())
          .onSuccess(v -> response.end())
          .onFailure(e -> {
            if (!closed.future().isComplete()) {
              LOG.warn("Export of task {} stopped after {} rows: {}", id, export.rows(), e.toString());
            }
            if (!response.headWritten()) {
              ctx.fail(e);
            } else {
              response.reset();
            }
          });
    });
  }

  // ---- inputs ----

  /** A query parameter, else the field of the body's data (POST). */
  private static String param(RoutingContext ctx, String key, String def) {
    String raw = ctx.queryParams().get(key);
    if (raw == null) {
      Object value = Envelope.data(ctx).getValue(key);
      raw = value == null ? null : value.toString();
    }
    return raw == null ? def : raw.trim();
  }

  static int windowDays(RoutingContext ctx) {
    String raw = ctx.queryParams().get("window_days");
    Object value = raw != null ? raw : Envelope.data(ctx).getValue("window_days");
    return windowDays(value);
  }

  /** 1–365 whole days (a number or a numeric string); null means the default, 30. */
  static int windowDays(Object value) {
    if (value == null) {
      return DEFAULT_WINDOW_DAYS;
    }
    long days;
    try {
      if (value instanceof Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
          throw new NumberFormatException();
        }
        days = n.longValue();
      } else {
        days = Long.parseLong(value.toString().trim());
      }
    } catch (NumberFormatException e) {
      throw windowError();
    }
    if (days < 1 || days > MAX_WINDOW_DAYS) {
      throw windowError();
    }
    return (int) days;
  }

  private static CodvidException windowError() {
    return CodvidException.badRequest("window_days must be a whole number of days from 1 to " + MAX_WINDOW_DAYS);
  }

  private static String taskId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!TrackingRoutes.isTaskId(id)) {
      throw CodvidException.notFound(TrackingTasks.NOT_FOUND);
    }
    return id;
  }

}
