package ai.codvid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.codvid.Main;
import ai.codvid.support.StoreFixtures;
import ai.codvid.support.TestNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A damaged data file stops the node at start-up, in seconds, with one line, and is left byte-identical")
class DamagedStoreTest {

  private static Path pristine;

  @BeforeAll
  static void seed() throws Exception {
    pristine = TestNode.tempDir();
    StoreFixtures.seed(pristine, 300);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"truncated to 95 %", "truncated to 75 %", "truncated to 50 %", "garbage in the middle", "zero-length",
      "a directory", "unreadable", "not an H2 file"})
  @DisplayName("each kind of damage is refused by a real node process")
  void refused(String damage) throws Exception {
    Path dir = TestNode.tempDir();
    for (Path file : List.of(pristine.resolve("codvid.mv"), pristine.resolve("codvid.mv.sums"), pristine.resolve("store-credentials"))) {
      Files.copy(file, dir.resolve(file.getFileName()));
    }
    Path data = dir.resolve("codvid.mv");
    List<String> prefix = new ArrayList<>();
    damage(damage, data, prefix);
    String before = Files.isRegularFile(data) && Files.isReadable(data) && !damage.equals("unreadable") ? StoreFixtures.sha256(data) : null;

    StoreFixtures.Run run = StoreFixtures.main(Map.of("CODVID_DATA_DIR", dir.toString()), prefix, 120);

    List<String> lines = run.stderr().stream().filter(l -> !l.isBlank()).toList();
    String why = damage + " → exit " + run.exitCode() + " after " + run.millis() + " ms, stderr " + run.stderr();
    assertEquals(Main.DAMAGED_STORE, run.exitCode(), why);
    assertEquals(1, lines.size(), why);
    String line = lines.get(0);
    assertTrue(line.contains(data.toString()), "names the file: " + line);
    assertTrue(line.contains("store recover") || line.contains("chmod") || line.contains("move it away"), "says what to do: " + line);
    assertTrue(run.millis() < 60_000, why);
    if (before != null) {
      assertEquals(before, StoreFixtures.sha256(data), "the file is left byte-identical");
    }
    if (damage.startsWith("truncated") || damage.startsWith("garbage")) {
      assertTrue(line.contains("truncated") || line.contains("damaged") || line.contains("corrupted"), "says what is wrong: " + line);
    }
  }

  private static void damage(String damage, Path data, List<String> prefix) throws Exception {
    long size = Files.size(data);
    switch (damage) {
      case "truncated to 95 %" -> truncate(data, size * 95 / 100);
      case "truncated to 75 %" -> truncate(data, size * 75 / 100);
      case "truncated to 50 %" -> truncate(data, size / 2);
      case "garbage in the middle" -> {
        byte[] garbage = new byte[2048];
        new Random(7).nextBytes(garbage);
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
          file.seek(middleOfLiveData(data, size));
          file.write(garbage);
        }
      }
      case "zero-length" -> truncate(data, 0);
      case "a directory" -> {
        Files.delete(data);
        Files.createDirectory(data);
      }
      case "unreadable" -> {
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("---------"));
        if (StoreFixtures.isRoot()) {
          Assumptions.assumeTrue(StoreFixtures.hasCommand("setpriv"),
              "running as root without setpriv: cannot make a file unreadable to the node, skipped");
          // root reads anything; without these capabilities it obeys the mode bits like any user
          prefix.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
              "-dac_override,-dac_read_search"));
        }
      }
      case "not an H2 file" -> Files.writeString(data, "this is a text file, not a Codvid store\n".repeat(200));
      default -> throw new IllegalArgumentException(damage);
    }
  }

  /** The middle of the file, or of the live chunk nearest to it when the middle is free space (garbage there harms nothing). */
  private static long middleOfLiveData(Path data, long size) {
    try (org.h2.mvstore.MVStore store = new org.h2.mvstore.MVStore.Builder().fileName(data.toString()).readOnly().open()) {
      long middle = size / 2;
      StoreVerifier.ChunkInfo nearest = null;
      for (StoreVerifier.ChunkInfo chunk : StoreVerifier.chunks(store, data)) {
        if (chunk.start() <= middle && middle < chunk.end()) {
          return middle;
        }
        if (nearest == null || Math.abs(chunk.start() - middle) < Math.abs(nearest.start() - middle)) {
          nearest = chunk;
        }
      }
      return (nearest.start() + nearest.end()) / 2;
    }
  }

  private static void truncate(Path data, long size) throws Exception {
    try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
      file.setLength(size);
    }
  }

  @Test
  @DisplayName("an open failure reading past the file's end is called a truncation, any other one damage, with H2's words kept")
  void openFailureWording() {
    String past = StoreVerifier.openFailure("Reading from file sun.nio.ch.FileChannelImpl@2fa853d4 failed at 479155 (length 478617), "
        + "read 0, remaining 1536 [2.3.232/1]", 478617);
    assertTrue(past.startsWith("is truncated: it has 478617 bytes, but its structure refers to byte 479155"), past);
    String inside = StoreVerifier.openFailure("Reading from file x failed at 4096 (length 478617), read 0", 478617);
    assertTrue(inside.startsWith("is damaged:") && inside.contains("failed at 4096"), inside);
    String other = StoreVerifier.openFailure("File corrupted in chunk 12, expected page length 4..1024, got 0 [2.3.232/6]", 9000);
    assertTrue(other.startsWith("is damaged:") && other.contains("chunk 12"), other);
  }
}
