package ai.codvid.users;

import ai.codvid.store.Collections;
import ai.codvid.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the emails of accounts stored by earlier versions (trimmed and lower-cased only) to
 * their canonical form ({@link EmailAddress}), once per store: a document {@value #MARKER} in
 * the {@code settings} collection says it is done. An account whose canonical form already
 * belongs to another account, or that has none, keeps its email and still logs in by it. Every
 * rewrite is conditional on the old value, so nodes starting together do no harm.
 */
final class EmailMigration {

  static final String MARKER = "email_form";
  private static final String SETTINGS = "settings";
  private static final Logger LOG = LoggerFactory.getLogger(EmailMigration.class);

  private EmailMigration() {
  }

  static Future<Void> run(MongoClient mongo) {
    JsonObject marker = new JsonObject().put("_id", MARKER);
    return mongo.findOne(SETTINGS, marker, null)
        .compose(done -> done != null ? Future.<Void>succeededFuture() : migrate(mongo).compose(counts -> markDone(mongo, marker, counts)))
        .recover(failure -> {
          LOG.warn("Could not rewrite stored emails to their canonical form; logins are not affected, the next start tries again: {}",
              failure.toString());
          return Future.succeededFuture();
        });
  }

  private static Future<Void> markDone(MongoClient mongo, JsonObject marker, int[] counts) {
    if (counts[0] + counts[1] > 0) {
      LOG.info("Account emails rewritten to their canonical form: {}; kept as they were (canonical form taken or none): {}",
          counts[0], counts[1]);
    }
    return mongo.insert(SETTINGS, marker.copy().put("version", 1).put("rewritten", counts[0]).put("kept", counts[1])
            .put("at", Instant.now().getEpochSecond()))
        .<Void>mapEmpty()
        .recover(failure -> MongoErrors.isDuplicateKey(failure) ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  /** Answers {rewritten, kept}. */
  private static Future<int[]> migrate(MongoClient mongo) {
    return mongo.findWithOptions(Collections.USERS, new JsonObject(), new FindOptions().setFields(new JsonObject().put("email", 1)))
        .compose(users -> rewrite(mongo, users, 0, new int[2]));
  }

  private static Future<int[]> rewrite(MongoClient mongo, List<JsonObject> users, int from, int[] counts) {
    for (int i = from; i < users.size(); i++) {
      String email = users.get(i).getValue("email") instanceof String s ? s : null;
      if (email == null) {
        continue;
      }
      String canonical = EmailAddress.canonicalOrNull(email);
      if (canonical == null) {
        counts[1]++;
        continue;
      }
      if (canonical.equals(email)) {
        continue;
      }
      int next = i + 1;
      return mongo.updateCollection(Collections.USERS,
              new JsonObject().put("_id", users.get(i).getValue("_id")).put("email", email),
              new JsonObject().put("$set", new JsonObject().put("email", canonical)))
          .map(updated -> {
            if (updated != null && updated.getDocModified() > 0) {
              counts[0]++;
            }
            return counts;
          })
          .recover(failure -> {
            if (!MongoErrors.isDuplicateKey(failure)) {
              return Future.failedFuture(failure);
            }
            counts[1]++;
            return Future.succeededFuture(counts);
          })
          .compose(c -> rewrite(mongo, users, next, c));
    }
    return Future.succeededFuture(counts);
  }
}
