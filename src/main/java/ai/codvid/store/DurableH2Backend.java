package ai.codvid.store;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Set;

/**
 * The H2 (MVStore) backend of mongo-java-server, committed after every command that may write.
 *
 * <p>The stock backend commits about once a second, so a {@code kill -9} right after
 * acknowledged writes loses them (measured: up to 60 %, see shared/PLATFORM.md). Committing
 * before the reply is sent makes every acknowledged write durable at ~1 ms per write.
 */
final class DurableH2Backend extends H2Backend {

  private static final Set<String> READ_ONLY = Set.of(
      "find", "getmore", "count", "aggregate", "distinct", "hello", "ismaster", "ping",
      "buildinfo", "getlasterror", "getlog", "listcollections", "listdatabases", "listindexes",
      "serverstatus", "dbstats", "collstats", "whatsmyuri", "connectionstatus", "endsessions",
      "killcursors", "getparameter", "getcmdlineopts", "hostinfo", "saslstart", "saslcontinue");

  DurableH2Backend(String fileName) {
    super(fileName);
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      if (!READ_ONLY.contains(command.toLowerCase())) {
        commit();
      }
    }
  }
}
