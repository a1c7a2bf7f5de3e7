package ai.codvid.store;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator commands of the jar for the embedded store:
 *
 * <pre>
 * java -jar codvid-ai.jar store verify  [--data-dir DIR]
 * java -jar codvid-ai.jar store recover [--data-dir DIR] [--output FILE]
 * java -jar codvid-ai.jar store backup  [--data-dir DIR] [--out FILE]
 * java -jar codvid-ai.jar store restore [--data-dir DIR] --from FILE
 * </pre>
 *
 * The data directory defaults to {@code CODVID_DATA_DIR}, else {@code ./data}. Exit status 0 on
 * success, 2 when the data file is damaged (verify) or the command could not do its work, 64 on
 * bad usage.
 */
public final class StoreCli {

  public static final String LOGBACK_CONFIG = "store/logback-cli.xml";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private StoreCli() {
  }

  /** Runs {@code args} (the first is {@code store}); answers the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      usage(err);
      return 64;
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        usage(err);
        return 64;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    String dir = options.getOrDefault("data-dir", System.getenv().getOrDefault("CODVID_DATA_DIR", "./data"));
    StoreFiles files = new StoreFiles(Path.of(dir));
    try {
      return switch (args[1]) {
        case "verify" -> verify(files, out, err);
        case "recover" -> {
          StoreRecovery.recover(files, options.containsKey("output") ? Path.of(options.get("output")) : null, out);
          yield 0;
        }
        case "backup" -> backup(files, options.get("out"), out);
        case "restore" -> {
          if (!options.containsKey("from")) {
            usage(err);
            yield 64;
          }
          yield restore(files, Path.of(options.get("from")), out);
        }
        default -> {
          usage(err);
          yield 64;
        }
      };
    } catch (StoreDamageException e) {
      err.println(e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("store " + args[1] + " failed: " + StoreVerifier.oneLine(String.valueOf(e.getMessage())));
      return 2;
    }
  }

  private static void usage(PrintStream err) {
    err.println("usage: java -jar codvid-ai.jar store verify|recover|backup|restore [--data-dir DIR] "
        + "[--output FILE (recover)] [--out FILE (backup)] [--from FILE (restore)]");
  }

  private static int verify(StoreFiles files, PrintStream out, PrintStream err) {
    if (running(files)) {
      err.println(files.data() + " is in use by a running node; verify it after stopping the node (a backup can be verified any time)");
      return 2;
    }
    StoreVerifier.Report report = StoreVerifier.verify(files);
    if (report == null) {
      out.println(files.data() + " does not exist yet: nothing to verify");
      return 0;
    }
    out.println(files.data() + " is sound: version " + report.version() + ", " + report.chunks().size() + " chunks, "
        + report.fileBytes() + " bytes, " + (report.fullyRead() ? "every entry read" : "every chunk matches its checksum"));
    return 0;
  }

  /** A consistent copy: made by the running node when there is one, else copied from the stopped store. */
  private static int backup(StoreFiles files, String requested, PrintStream out) throws IOException {
    Path target = requested != null ? Path.of(requested).toAbsolutePath()
        : files.backups().resolve("codvid-" + LocalDateTime.now().format(STAMP) + ".mv");
    if (Files.exists(target)) {
      throw new IOException(target + " already exists");
    }
    if (running(files)) {
      String uri = Files.readString(files.uri()).trim();
      Vertx vertx = Vertx.vertx();
      try {
        MongoClient client = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", "admin")
            .put("serverSelectionTimeoutMS", 5000));
        JsonObject answer = client.runCommand("codvidBackup", new JsonObject().put("codvidBackup", 1).put("path", target.toString()))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        out.println("Backup written by the running node: " + answer.getString("path") + " (" + answer.getLong("bytes")
            + " bytes, verified); restore it with: java -jar codvid-ai.jar store restore --data-dir " + files.dir() + " --from "
            + answer.getString("path"));
        return 0;
      } catch (Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
        throw new IOException("the running node did not write the backup: " + cause.getMessage(), cause);
      } finally {
        vertx.close();
      }
    }
    StoreVerifier.Report report = StoreVerifier.verify(files);
    if (report == null) {
      throw new IOException(files.data() + " does not exist: nothing to back up");
    }
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Files.copy(files.data(), partial, StandardCopyOption.REPLACE_EXISTING);
    if (Files.exists(files.sums())) {
      Files.copy(files.sums(), StoreFiles.sumsOf(partial), StandardCopyOption.REPLACE_EXISTING);
    }
    StoreVerifier.verifyFile(partial, StoreFiles.sumsOf(partial), null, false);
    if (Files.exists(StoreFiles.sumsOf(partial))) {
      Files.move(StoreFiles.sumsOf(partial), StoreFiles.sumsOf(target), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    out.println("Backup of the stopped store: " + target + " (" + Files.size(target) + " bytes, verified)");
    return 0;
  }

  /** Puts a verified backup in place of the data file of a stopped node; the current file is kept under another name. */
  private static int restore(StoreFiles files, Path backup, PrintStream out) throws IOException {
    if (running(files)) {
      throw new IOException("a node is using " + files.data() + ": stop it before restoring");
    }
    Path from = backup.toAbsolutePath();
    StoreVerifier.Report report = StoreVerifier.verifyFile(from, StoreFiles.sumsOf(from), "choose another backup", false);
    files.ensureDirectory();
    Path incoming = files.dir().resolve(StoreFiles.DATA + ".restoring");
    Files.copy(from, incoming, StandardCopyOption.REPLACE_EXISTING);
    boolean withSums = Files.exists(StoreFiles.sumsOf(from));
    if (withSums) {
      Files.copy(StoreFiles.sumsOf(from), StoreFiles.sumsOf(incoming), StandardCopyOption.REPLACE_EXISTING);
    }
    Path keptAs = null;
    if (Files.exists(files.data())) {
      keptAs = files.dir().resolve(StoreFiles.DATA + ".before-restore-" + LocalDateTime.now().format(STAMP));
      Files.move(files.data(), keptAs, StandardCopyOption.ATOMIC_MOVE);
    }
    if (Files.exists(files.sums())) {
      Files.move(files.sums(), keptAs != null ? StoreFiles.sumsOf(keptAs) : files.dir().resolve("codvid.mv.sums.before-restore"),
          StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    if (withSums) {
      Files.move(StoreFiles.sumsOf(incoming), files.sums(), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(incoming, files.data(), StandardCopyOption.ATOMIC_MOVE);
    out.println("Restored " + from + " (version " + report.version() + ") as " + files.data()
        + (keptAs != null ? "; the previous data file is kept as " + keptAs : ""));
    return 0;
  }

  /** True while a node holds the data file open (MVStore locks it). */
  static boolean running(StoreFiles files) {
    if (!Files.isRegularFile(files.data())) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(files.data(), StandardOpenOption.READ)) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
