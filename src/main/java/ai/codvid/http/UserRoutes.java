package ai.codvid.http;

import ai.codvid.users.UserService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Account routes. */
final class UserRoutes {

  private final UserService users;

  UserRoutes(UserService users) {
    this.users = users;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    for (String path : new String[] {"/user/delete-account", "/user/delete_account"}) {
      router.route(Api.path(path)).method(HttpMethod.POST).method(HttpMethod.DELETE)
          .handler(authenticated).handler(Reply.handler(this::deleteAccount));
    }
  }

  private Future<Reply> deleteAccount(RoutingContext ctx) {
    return users.delete(Authenticated.userId(ctx))
        .map(v -> Reply.top(200, new JsonObject().put("message", "Account deleted")));
  }
}
