package ai.codvid.store;

import ai.codvid.Addresses;
import ai.codvid.CodvidException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes account deletion final. A deleted account's id is written to {@code deleted_users}
 * (a tombstone) before anything of it is removed, and every node learns it at once over
 * {@link Addresses#USERS_DELETED}. Then:
 *
 * <ul>
 *   <li>every write that creates a document owned by a user checks the tombstone <em>after</em>
 *       its insert ({@link #guardCreated}) and takes the document back if the account is gone,
 *       so a create racing the deletion either is removed by the deletion's sweep (it landed
 *       before) or removes itself (it landed after the tombstone was written);</li>
 *   <li>the owned documents are swept at once and again a little later ({@link #sweep});</li>
 *   <li>scrapes and the scheduler skip tasks whose owner is known to be deleted.</li>
 * </ul>
 */
public final class DeletedUsers {

  private static final Logger LOG = LoggerFactory.getLogger(DeletedUsers.class);
  public static final String ACCOUNT_DELETED = "Unauthorized: this account has been deleted";
  /** Sweeps after the first one, catching anything that was in flight (ms after the deletion). */
  private static final long[] LATER_SWEEPS = {2_000, 30_000};

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final MessageConsumer<JsonObject> deletions;

  public DeletedUsers(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.deletions = vertx.eventBus().consumer(Addresses.USERS_DELETED, message -> {
      String userId = message.body().getString("user_id");
      if (userId != null) {
        known.add(userId);
      }
    });
  }

  /** Learns the tombstones already written and finishes the deletions a crash may have interrupted. */
  public Future<Void> ready() {
    return deletions.completion()
        .compose(v -> mongo.findWithOptions(Collections.DELETED_USERS, new JsonObject(), new FindOptions().setFields(new JsonObject().put("_id", 1))))
        .map(docs -> {
          docs.forEach(d -> known.add(d.getString("_id")));
          return docs;
        })
        .compose(docs -> {
          Future<Void> chain = Future.succeededFuture();
          for (JsonObject doc : docs) {
            chain = chain.compose(v -> sweep(doc.getString("_id")).recover(e -> Future.succeededFuture()));
          }
          return chain;
        });
  }

  /** Writes the tombstone of an account (idempotent); from now on nothing of it can be created. */
  public Future<Void> mark(String userId) {
    known.add(userId);
    return mongo.save(Collections.DELETED_USERS, new JsonObject().put("_id", userId).put("deleted_at", System.currentTimeMillis()))
        .mapEmpty();
  }

  /** True when this node knows the account was deleted (no store read). */
  public boolean knownDeleted(String userId) {
    return userId != null && known.contains(userId);
  }

  /** True when the account was deleted, asking the store when this node does not know yet. */
  public Future<Boolean> isDeleted(String userId) {
    if (knownDeleted(userId)) {
      return Future.succeededFuture(true);
    }
    return mongo.findOne(Collections.DELETED_USERS, new JsonObject().put("_id", userId), new JsonObject().put("_id", 1))
        .map(doc -> {
          if (doc != null) {
            known.add(userId);
          }
          return doc != null;
        });
  }

  /**
   * To be called with the insert of a document owned by {@code userId}: once the insert is done,
   * if the account was deleted meanwhile the document is removed again and the create fails
   * with 401.
   */
  public <T> Future<T> guardCreated(String userId, String collection, String documentId, Future<T> insert) {
    return insert.compose(result -> isDeleted(userId).compose(deleted -> !deleted
        ? Future.succeededFuture(result)
        : mongo.removeDocument(collection, new JsonObject().put("_id", documentId))
            .transform(ignored -> Future.failedFuture(CodvidException.unauthorized(ACCOUNT_DELETED)))));
  }

  /** Removes every document the account owns, then the account itself. */
  public Future<Void> sweep(String userId) {
    JsonObject owned = new JsonObject().put("user_id", userId);
    List<Future<?>> removals = new ArrayList<>();
    for (String collection : Collections.OWNED_BY_USER) {
      removals.add(mongo.removeDocuments(collection, owned));
    }
    return Future.all(removals)
        .compose(v -> mongo.removeDocument(Collections.USERS, new JsonObject().put("_id", userId)))
        .mapEmpty();
  }

  /** Sweeps again a little later, for writes that were in flight when the account was deleted. */
  public void sweepLater(String userId) {
    for (long delay : LATER_SWEEPS) {
      vertx.setTimer(delay, id -> sweep(userId).onFailure(e -> LOG.warn("Sweep of deleted account {} failed: {}", userId, e.toString())));
    }
  }

  public Future<Void> close() {
    return deletions.unregister();
  }
}
