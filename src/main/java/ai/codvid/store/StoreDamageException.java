package ai.codvid.store;

import java.nio.file.Path;

/**
 * The data file cannot be used as it is. Its message is one line naming the file, what is wrong
 * and what to run; the node refuses to start with it and leaves the file untouched.
 */
public final class StoreDamageException extends RuntimeException {

  private final transient Path file;

  public StoreDamageException(Path file, String problem, String remedy) {
    super(file + " " + problem + (remedy == null ? "" : "; " + remedy), null, false, false);
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The usual remedy: the jar's recovery command for the data directory of the file. */
  static String recoverCommand(Path dataDir) {
    return "recover the newest consistent state (from this file, codvid.mv.previous or a backup) with: "
        + "java -jar codvid-ai.jar store recover --data-dir " + dataDir;
  }
}
