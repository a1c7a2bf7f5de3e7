package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentCliTest {

  private static final Pattern ROW = Pattern.compile("(positive|negative|neutral)\t(0|1)\\.\\d{3}\t([a-z]{2}|und)");

  private record Run(List<String> rows, String errors) {
  }

  private static Run run(byte[] input) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    SentimentCli.run(new ByteArrayInputStream(input), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("The CLI answers one label<TAB>score<TAB>language row per input line, in order")
  void oneRowPerLine() throws Exception {
    String input = String.join("\n", "I love it, best day ever!", "worst thing ever, I hate it :(", "🔥🔥🔥", "qué aburrido, no me gusta nada",
        "@maria", "so good ".repeat(1300), "tab\tinside a comment") + "\n";
    Run r = run(input.getBytes(StandardCharsets.UTF_8));
    assertEquals(7, r.rows().size());
    r.rows().forEach(l -> assertTrue(ROW.matcher(l).matches(), "label<TAB>score<TAB>language: " + l));
    assertEquals("positive", r.rows().get(0).split("\t")[0]);
    assertEquals("en", r.rows().get(0).split("\t")[2]);
    assertEquals("negative", r.rows().get(1).split("\t")[0]);
    assertEquals("positive\t", r.rows().get(2).substring(0, 9));
    assertEquals("und", r.rows().get(2).split("\t")[2]);
    assertEquals("es", r.rows().get(3).split("\t")[2]);
    assertEquals("neutral", r.rows().get(4).split("\t")[0]);
    assertTrue(r.errors().isEmpty(), r.errors());
  }

  @Test
  @DisplayName("Blank lines, invalid UTF-8, NUL bytes and a 1 MB line each get an error on stderr and a neutral row; the next line is still read")
  void hostileLines() throws Exception {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.write("good morning, lovely post\n\n   \n".getBytes(StandardCharsets.UTF_8));
    in.write(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
    in.write(new byte[] {0, 1, 2, 3, 'x', 0, '\n'});
    in.write("a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
    in.write("\nthis is awful, I hate it\r\nno newline at the end".getBytes(StandardCharsets.UTF_8));
    Run r = run(in.toByteArray());
    assertEquals(8, r.rows().size(), String.join("\n", r.rows()));
    r.rows().forEach(l -> assertTrue(ROW.matcher(l).matches(), l));
    for (int i = 1; i <= 5; i++) {
      assertEquals("neutral", r.rows().get(i).split("\t")[0], r.rows().get(i));
      assertEquals("und", r.rows().get(i).split("\t")[2]);
    }
    assertEquals("negative", r.rows().get(6).split("\t")[0]);
    assertEquals(5, r.errors().lines().count(), r.errors());
    assertTrue(r.errors().contains("line 2: blank line"), r.errors());
    assertTrue(r.errors().contains("line 4: not UTF-8 text"), r.errors());
    assertTrue(r.errors().contains("line 5: not text"), r.errors());
    assertTrue(r.errors().contains("line 6: 1,048,576 bytes, over the 65,536-byte limit"), r.errors());
  }

  @Test
  @DisplayName("java ai.codvid.Main sentiment in a child JVM prints nothing but rows on stdout and exits 0 on hostile input")
  void childJvmStdoutIsRowsOnly(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.txt");
    Files.write(in, ("great job!\nterrible 👎\n\nwhere is this?\n\u0000\u0001binary\n").getBytes(StandardCharsets.UTF_8));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "ai.codvid.Main", "sentiment")
        .redirectInput(in.toFile())
        .redirectError(ProcessBuilder.Redirect.to(dir.resolve("err.txt").toFile()))
        .start();
    byte[] stdout = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(180, TimeUnit.SECONDS));
    String err = Files.readString(dir.resolve("err.txt"));
    assertEquals(0, process.exitValue(), err);
    List<String> lines = new String(stdout, StandardCharsets.UTF_8).lines().toList();
    assertEquals(5, lines.size(), String.join("\n", lines));
    lines.forEach(l -> assertTrue(ROW.matcher(l).matches(), "label<TAB>score<TAB>language: " + l));
    assertEquals(List.of("positive", "negative", "neutral", "neutral", "neutral"), lines.stream().map(l -> l.split("\t")[0]).toList());
    assertTrue(err.contains("line 3: blank line") && err.contains("line 5: not text"), err);
  }
}
