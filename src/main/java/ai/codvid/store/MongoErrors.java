package ai.codvid.store;

import ai.codvid.CodvidException;
import ai.codvid.FailureCode;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/** Classifies MongoDB driver failures. */
public final class MongoErrors {

  public static final int DUPLICATE_KEY = 11000;
  public static final int COMMAND_NOT_FOUND = 59;
  /** MongoDB's OutOfDiskSpace: the store refuses writes (disk full, failed commit). */
  public static final int OUT_OF_DISK_SPACE = StoreEngine.OUT_OF_DISK_SPACE;
  /** MongoDB's BSONObjectTooLarge: a document would exceed the store's size limit. */
  public static final int DOCUMENT_TOO_LARGE_CODE = CodvidBackend.TOO_LARGE;

  /** What a client is told while the store refuses writes (503). */
  public static final String STORE_READ_ONLY = "The store cannot accept changes right now: the server's disk is full. "
      + "Reading works; changes will be accepted again as soon as space is freed.";
  /** What a client is told when a change would make a document too large (413). */
  public static final String DOCUMENT_TOO_LARGE = "This change would make a stored document larger than the store allows.";

  /**
   * The domain failure for a store failure a client should hear about (a full disk → 503, a
   * document over the size limit → 413, a document for a deleted account → 401); any other
   * failure unchanged.
   */
  public static Throwable toDomain(Throwable failure) {
    if (code(failure) == CodvidBackend.OWNER_DELETED) {
      return CodvidException.unauthorized(DeletedUsers.ACCOUNT_DELETED);
    }
    if (isOutOfSpace(failure)) {
      return new CodvidException(FailureCode.UNAVAILABLE, STORE_READ_ONLY);
    }
    if (isTooLarge(failure)) {
      return new CodvidException(FailureCode.PAYLOAD_TOO_LARGE, DOCUMENT_TOO_LARGE);
    }
    return failure;
  }

  public static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoException m && (m.getCode() == DUPLICATE_KEY || m.getCode() == 11001)) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("E11000")) {
        return true;
      }
    }
    return false;
  }

  /** The store could not be reached (down, restarting, network), or is being reopened. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoTimeoutException || t instanceof MongoSocketException) {
        return true;
      }
      if (t instanceof MongoException m && m.getCode() == StoreEngine.SHUTDOWN_IN_PROGRESS) {
        return true;
      }
    }
    return false;
  }

  /** The store refuses writes because its disk is full (or a commit failed); reads still work. */
  public static boolean isOutOfSpace(Throwable failure) {
    return code(failure) == OUT_OF_DISK_SPACE;
  }

  /** A write would make a document larger than the store keeps (ours, or MongoDB's 16 MB). */
  public static boolean isTooLarge(Throwable failure) {
    int code = code(failure);
    return code == DOCUMENT_TOO_LARGE_CODE || code == 17419 || code == 17420;
  }

  /** The MongoDB error code of a failure (or of its first cause that has one), else 0. */
  public static int code(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoException m && m.getCode() > 0) {
        return m.getCode();
      }
    }
    return 0;
  }

  private MongoErrors() {
  }
}
