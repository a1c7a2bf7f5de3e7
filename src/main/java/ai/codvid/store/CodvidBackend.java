package ai.codvid.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend over an MVStore opened by {@link StoreEngine}, with one
 * addition: no stored document may exceed {@code maxDocumentBytes} (BSON). An insert or update
 * that would make one larger fails with MongoDB's {@code BSONObjectTooLarge} (10334) and changes
 * nothing, so a user who keeps appending to one document gets a clear error instead of a store
 * that slows down for everyone.
 *
 * <p>And no document owned by a deleted account can be inserted: an insert into a collection
 * of {@link Collections#OWNED_BY_USER} whose {@code user_id} is in {@code deleted_users} fails
 * ({@link #OWNER_DELETED}). The check runs inside the collection's lock, so an insert racing an
 * account deletion either lands before the deletion's sweep of that collection (and is swept)
 * or sees the tombstone, which is written before the sweep starts.
 */
final class CodvidBackend extends H2Backend {

  static final int TOO_LARGE = 10334;
  static final int OWNER_DELETED = 8001;

  /** 0 while the superclass constructor opens the existing collections (no writes then). */
  private volatile long maxDocumentBytes;

  CodvidBackend(MVStore store, long maxDocumentBytes) {
    super(store);
    this.maxDocumentBytes = maxDocumentBytes;
  }

  /**
   * The store and backend of a database being constructed: H2Database opens its existing
   * collections from its own constructor, before the subclass's fields are set.
   */
  private record Opening(MVStore store, CodvidBackend backend) {
  }

  private static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    OPENING.set(new Opening(getMvStore(), this));
    try {
      return new Database(databaseName, getMvStore(), getCursorRegistry(), this);
    } finally {
      OPENING.remove();
    }
  }

  long maxDocumentBytes() {
    return maxDocumentBytes;
  }

  static int bsonSize(Document document) {
    ByteBuf buffer = Unpooled.buffer();
    try {
      BsonEncoder.encodeDocument(document, buffer);
      return buffer.writerIndex();
    } finally {
      buffer.release();
    }
  }

  private static final class Database extends H2Database {
    private final MVStore store;
    private final CodvidBackend backend;

    Database(String name, MVStore store, CursorRegistry cursors, CodvidBackend backend) {
      super(name, store, cursors);
      this.store = store;
      this.backend = backend;
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      Opening opening = store != null ? new Opening(store, backend) : OPENING.get();
      String fullName = getDatabaseName() + "." + collectionName;
      MVMap<Object, Document> dataMap = opening.store().openMap("databases." + fullName);
      MVMap<String, Object> metaMap = opening.store().openMap("meta." + fullName);
      return new Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry, opening.backend(), opening.store());
    }
  }

  private static final class Collection extends H2Collection {
    private final CodvidBackend backend;
    private final MVStore store;
    private final boolean ownedByUser;
    private final String tombstones;
    private MVMap<Object, Object> deletedUsers;

    Collection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> dataMap,
        MVMap<String, Object> metaMap, CursorRegistry cursors, CodvidBackend backend, MVStore store) {
      super(database, name, options, dataMap, metaMap, cursors);
      this.backend = backend;
      this.store = store;
      this.ownedByUser = Collections.OWNED_BY_USER.contains(name);
      this.tombstones = "databases." + database.getDatabaseName() + "." + Collections.DELETED_USERS;
    }

    private boolean ownerDeleted(Document document) {
      Object owner = document.get("user_id");
      if (!ownedByUser || owner == null) {
        return false;
      }
      if (deletedUsers == null) {
        if (!store.hasMap(tombstones)) {
          return false;
        }
        deletedUsers = store.openMap(tombstones);
      }
      return deletedUsers.containsKey(owner);
    }

    private long limit() {
      long limit = backend.maxDocumentBytes();
      return limit > 0 ? limit : Long.MAX_VALUE;
    }

    @Override
    protected Object addDocumentInternal(Document document) {
      if (ownerDeleted(document)) {
        throw new MongoServerError(OWNER_DELETED, "OwnerDeleted", "the account that would own this document was deleted");
      }
      long limit = limit();
      if (limit != Long.MAX_VALUE) {
        int size = bsonSize(document);
        if (size > limit) {
          throw tooLarge(size, limit);
        }
      }
      return super.addDocumentInternal(document);
    }

    /**
     * Called after the indexes and the document object were already changed in place; a
     * document over the limit is put back as it was before failing, so nothing changes.
     */
    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
      long limit = limit();
      if (limit != Long.MAX_VALUE) {
        int size = bsonSize(newDocument);
        if (size > limit) {
          Document attempted = newDocument.cloneDeeply();
          for (Index<Object> index : getIndexes()) {
            index.updateInPlace(attempted, oldDocument, position, this);
          }
          updateDataSize(bsonSize(oldDocument) - size);
          newDocument.clear();
          newDocument.putAll(oldDocument);
          throw tooLarge(size, limit);
        }
      }
      super.handleUpdate(position, oldDocument, newDocument);
    }

    private static MongoServerError tooLarge(int size, long limit) {
      return new MongoServerError(TOO_LARGE, "BSONObjectTooLarge",
          "the document would be " + size + " bytes; the store keeps documents of at most " + limit + " bytes");
    }
  }
}
