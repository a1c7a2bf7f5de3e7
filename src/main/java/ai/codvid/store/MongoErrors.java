package ai.codvid.store;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/** Classifies MongoDB driver failures. */
public final class MongoErrors {

  public static final int DUPLICATE_KEY = 11000;

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

  /** The store could not be reached (down, restarting, network). */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoTimeoutException || t instanceof MongoSocketException) {
        return true;
      }
    }
    return false;
  }

  private MongoErrors() {
  }
}
