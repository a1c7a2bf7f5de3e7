package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.alerts.AlertRules;
import ai.codvid.alerts.AlertService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Alert rules and fired alerts under {@code /codvid-ai/alerts} (docs/alerts.md). The live feed
 * ({@code /alerts/events} and alerts on {@code /ws}) is served with the other live routes by
 * {@link ProgressRoutes}.
 */
final class AlertRoutes {

  private static final String BASE = "/alerts/";
  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final AlertService alerts;

  AlertRoutes(AlertService alerts) {
    this.alerts = alerts;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    route(router, authenticated, "create_rule", this::createRule, HttpMethod.POST);
    route(router, authenticated, "get_rules", this::rules, HttpMethod.GET);
    route(router, authenticated, "update_rule/:id", this::updateRule, HttpMethod.PUT, HttpMethod.POST);
    route(router, authenticated, "delete_rule/:id", this::deleteRule, HttpMethod.DELETE, HttpMethod.POST);
    route(router, authenticated, "get_alerts", this::firedAlerts, HttpMethod.GET);
    route(router, authenticated, "test_webhook/:id", this::testWebhook, HttpMethod.POST);
  }

  private static void route(Router router, Handler<RoutingContext> authenticated, String path,
      Function<RoutingContext, Future<Reply>> useCase, HttpMethod... methods) {
    var route = router.route(Api.path(BASE + path));
    for (HttpMethod method : methods) {
      route.method(method);
    }
    route.handler(authenticated).handler(Reply.handler(useCase));
  }

  private Future<Reply> createRule(RoutingContext ctx) {
    return alerts.createRule(Authenticated.userId(ctx), Envelope.data(ctx)).map(Reply::ok);
  }

  private Future<Reply> rules(RoutingContext ctx) {
    return alerts.rules(Authenticated.userId(ctx)).map(Reply::ok);
  }

  private Future<Reply> updateRule(RoutingContext ctx) {
    return alerts.updateRule(Authenticated.userId(ctx), ruleId(ctx), Envelope.data(ctx)).map(Reply::ok);
  }

  private Future<Reply> deleteRule(RoutingContext ctx) {
    return alerts.deleteRule(Authenticated.userId(ctx), ruleId(ctx)).map(Reply::ok);
  }

  private Future<Reply> firedAlerts(RoutingContext ctx) {
    int limit = limit(Envelope.data(ctx).getValue("limit"), alerts.options().maxAlertsPerUser());
    return alerts.alerts(Authenticated.userId(ctx), limit).map(Reply::ok);
  }

  private Future<Reply> testWebhook(RoutingContext ctx) {
    return alerts.testWebhook(Authenticated.userId(ctx), ruleId(ctx)).map(Reply::ok);
  }

  /** 1 to {@code max} (a number or a numeric string); null means {@link AlertService#DEFAULT_ALERTS_LIMIT}. */
  static int limit(Object value, int max) {
    if (value == null) {
      return Math.min(AlertService.DEFAULT_ALERTS_LIMIT, max);
    }
    long limit;
    try {
      if (value instanceof Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
          throw new NumberFormatException();
        }
        limit = n.longValue();
      } else {
        limit = Long.parseLong(value.toString().trim());
      }
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > max) {
      throw CodvidException.badRequest("limit must be a whole number from 1 to " + max);
    }
    return (int) limit;
  }

  private static String ruleId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !RULE_ID.matcher(id).matches()) {
      throw CodvidException.notFound(AlertRules.NOT_FOUND);
    }
    return id;
  }
}
