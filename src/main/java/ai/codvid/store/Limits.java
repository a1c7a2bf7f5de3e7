package ai.codvid.store;

import ai.codvid.CodvidException;
import ai.codvid.config.AppConfig;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What one account may hold, so one user cannot grow the store without bound and slow everyone
 * down (keys {@code limits.*}). Creates of one account and kind are checked and done one after
 * the other on a node, so concurrent creates cannot overshoot a limit there; across the nodes of
 * a cluster they may overshoot by at most one per node.
 *
 * @param projectsPerUser projects of one account
 * @param profileTasksPerUser profile tracking tasks of one account
 * @param reelTasksPerProject reel tracking tasks of one project
 */
public record Limits(long projectsPerUser, long profileTasksPerUser, long reelTasksPerProject) {

  private static final Map<String, Future<?>> TAILS = new ConcurrentHashMap<>();

  public static Limits from(AppConfig config) {
    return new Limits(config.longValue("limits.projects_per_user", 100),
        config.longValue("limits.profile_tasks_per_user", 500),
        config.longValue("limits.reel_tasks_per_project", 100));
  }

  public static Limits unlimited() {
    return new Limits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Runs {@code create} if {@code count} is below {@code limit}, else fails with {@code refusal};
   * creates with the same {@code key} (account and kind) run one after the other on this node.
   */
  public static <T> Future<T> within(String key, long limit, Supplier<Future<Long>> count, CodvidException refusal,
      Supplier<Future<T>> create) {
    if (limit == Long.MAX_VALUE) {
      return create.get();
    }
    Future<T>[] mine = new Future[1];
    TAILS.compute(key, (k, previous) -> {
      Future<?> before = previous == null ? Future.succeededFuture() : previous.recover(e -> Future.succeededFuture());
      mine[0] = before.compose(v -> count.get()).compose(n -> n >= limit ? Future.failedFuture(refusal) : create.get());
      return mine[0];
    });
    return mine[0].onComplete(done -> TAILS.remove(key, mine[0]));
  }
}
