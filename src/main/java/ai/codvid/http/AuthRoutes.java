package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.users.EmailAddress;
import ai.codvid.users.UserService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Public routes: ping, signup, login, and get_uuid for a token holder. Signup and login are
 * throttled by the client's address ({@link ClientAddress}).
 */
final class AuthRoutes {

  static final int MAX_PASSWORD = 1024;

  private final UserService users;
  private final ClientAddress clients;

  AuthRoutes(UserService users, ClientAddress clients) {
    this.users = users;
    this.clients = clients;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    router.route(Api.path("/ping")).method(HttpMethod.GET).method(HttpMethod.POST).handler(Reply.handler(this::ping));
    router.post(Api.path("/auth/signup")).handler(Reply.handler(this::signup));
    router.post(Api.path("/auth/login")).handler(Reply.handler(this::login));
    router.route(Api.path("/auth/get_uuid")).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(authenticated).handler(Reply.handler(this::uuid));
  }

  private Future<Reply> ping(RoutingContext ctx) {
    return Future.succeededFuture(Reply.top(200, new JsonObject().put("message", "pong")));
  }

  private Future<Reply> signup(RoutingContext ctx) {
    Credentials credentials = credentials(Envelope.data(ctx), EmailAddress::forSignup);
    return users.signup(credentials.email(), credentials.password(), clients.of(ctx.request()))
        .map(session -> Reply.top(201, session.toJson().put("response", session.toJson())));
  }

  private Future<Reply> login(RoutingContext ctx) {
    Credentials credentials = credentials(Envelope.data(ctx), EmailAddress::forLogin);
    return users.login(credentials.email(), credentials.password(), clients.of(ctx.request()))
        .map(session -> Reply.top(201, session.toJson().put("response", session.toJson())));
  }

  private Future<Reply> uuid(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    return Future.succeededFuture(Reply.top(200, new JsonObject()
        .put("uuid", userId)
        .put("response", new JsonObject().put("uuid", userId))));
  }

  record Credentials(EmailAddress email, String password) {
  }

  /** The email (read by {@code email}: signup and login read it differently) and the password, or a 400. */
  static Credentials credentials(JsonObject data, Function<String, EmailAddress> email) {
    String authType = Fields.optionalString(data, "auth_type", 32);
    if (authType != null && !authType.equals("email")) {
      throw CodvidException.badRequest("Unsupported auth_type: only \"email\" is supported");
    }
    EmailAddress address = email.apply(Fields.requiredString(data, "email", 254));
    Object rawPassword = data.getValue("password");
    if (rawPassword != null && !(rawPassword instanceof String)) {
      throw CodvidException.badRequest("password must be a string");
    }
    String password = (String) rawPassword;
    if (password == null || password.isEmpty()) {
      throw CodvidException.badRequest("missing password!");
    }
    if (password.length() > MAX_PASSWORD) {
      throw CodvidException.badRequest("password is too long (at most " + MAX_PASSWORD + " characters)");
    }
    return new Credentials(address, password);
  }
}
