package ai.codvid.http;

import ai.codvid.CodvidException;
import ai.codvid.projects.ProjectService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/** Project routes; every one answers GET and POST (delete-project also DELETE). */
final class ProjectRoutes {

  static final int MAX_NAME = 100;

  private final ProjectService projects;
  private final BiFunction<String, String, Future<JsonArray>> reelTasksOfProject;

  /**
   * @param reelTasksOfProject the reel tracking tasks of a project (user id, project name), as
   *     the tracking component presents them
   */
  ProjectRoutes(ProjectService projects, BiFunction<String, String, Future<JsonArray>> reelTasksOfProject) {
    this.projects = projects;
    this.reelTasksOfProject = reelTasksOfProject;
  }

  void mount(Router router, Handler<RoutingContext> authenticated) {
    route(router, authenticated, "/project/create-project", this::createProject);
    route(router, authenticated, "/project/get-project-list", this::projectList);
    route(router, authenticated, "/project/get-project-data", this::projectData);
    route(router, authenticated, "/project/get-project-mod-count", this::modCount);
    route(router, authenticated, "/project/delete-project", this::deleteProject).method(HttpMethod.DELETE);
  }

  private io.vertx.ext.web.Route route(Router router, Handler<RoutingContext> authenticated, String path,
      java.util.function.Function<RoutingContext, Future<Reply>> useCase) {
    return router.route(Api.path(path)).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(authenticated).handler(Reply.handler(useCase));
  }

  private Future<Reply> createProject(RoutingContext ctx) {
    JsonObject data = Envelope.data(ctx);
    String name = projectName(data);
    String description = Fields.optionalText(data, "description", 10_000);
    JsonArray keywords = keywords(data);
    return projects.create(Authenticated.userId(ctx), name, description, keywords)
        .map(v -> Reply.top(200, new JsonObject().put("message", "Project created")));
  }

  /** Project reads are cached per user until the user's data changes (see ReadCache). */
  private Future<Reply> projectList(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    return projects.reads().get(userId, "projects", () -> projects.names(userId)
            .map(names -> Reply.encode(new JsonObject().put("project_list", names))))
        .map(Reply::encoded);
  }

  private Future<Reply> projectData(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    String name = projectName(Envelope.data(ctx));
    return projects.reads().get(userId, "project:" + name, () -> projects.find(userId, name)
            .compose(doc -> reelTasksOfProject.apply(userId, name)
                .map(reels -> Reply.encode(new JsonObject().put("project_data", ProjectService.view(doc, reels))))))
        .map(Reply::encoded);
  }

  private Future<Reply> modCount(RoutingContext ctx) {
    String userId = Authenticated.userId(ctx);
    String name = projectName(Envelope.data(ctx));
    return projects.reads().get(userId, "mod_count:" + name, () -> projects.modCount(userId, name)
            .map(count -> Reply.encode(new JsonObject().put("mod_count", count))))
        .map(Reply::encoded);
  }

  private Future<Reply> deleteProject(RoutingContext ctx) {
    return projects.delete(Authenticated.userId(ctx), projectName(Envelope.data(ctx)))
        .map(v -> Reply.top(200, new JsonObject().put("message", "Project deleted")));
  }

  /** A project name: 1–100 characters of any script or emoji, no control characters. */
  static String projectName(JsonObject data) {
    String name = Fields.requiredString(data, "project_name", MAX_NAME).strip();
    if (name.isEmpty()) {
      throw CodvidException.badRequest("missing project_name!");
    }
    return name;
  }

  private static JsonArray keywords(JsonObject data) {
    Object raw = data.getValue("keywords");
    if (raw == null) {
      return new JsonArray();
    }
    if (!(raw instanceof JsonArray array) || array.size() > 100
        || !array.stream().allMatch(k -> k instanceof String s && s.length() <= 100 && !Fields.hasControlCharacters(s))) {
      throw CodvidException.badRequest("keywords must be a list of at most 100 short strings");
    }
    return array;
  }
}
