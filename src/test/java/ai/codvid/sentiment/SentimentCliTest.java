package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
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

  private static final Pattern LINE = Pattern.compile("(positive|negative|neutral)\t(0|1)\\.\\d{3}");

  @Test
  @DisplayName("The CLI answers one label<TAB>score line per input line, in order, including empty and hostile lines")
  void oneLinePerInputLine() throws Exception {
    String input = String.join("\n", "I love it!", "", "   ", "worst thing ever :(", "so good ".repeat(1300),
        "tab\tand\u0000control", "\uD83D lone", "🔥🔥🔥") + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SentimentCli.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(8, lines.size());
    lines.forEach(l -> assertTrue(LINE.matcher(l).matches(), "label<TAB>score: " + l));
    assertTrue(lines.get(0).startsWith("positive"));
    assertTrue(lines.get(1).startsWith("neutral"));
    assertTrue(lines.get(3).startsWith("negative"));
    assertTrue(lines.get(7).startsWith("positive"));
  }

  @Test
  @DisplayName("Invalid UTF-8 bytes on stdin are read as replacement characters, not an error")
  void invalidUtf8() throws Exception {
    byte[] input = {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SentimentCli.run(new ByteArrayInputStream(input), out);
    assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count());
  }

  @Test
  @DisplayName("java ai.codvid.Main sentiment in a child JVM prints nothing but results on stdout")
  void childJvmStdoutIsResultsOnly(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.txt");
    Files.writeString(in, "great job!\nterrible 👎\n\nwhere is this?\n", StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "ai.codvid.Main", "sentiment")
        .redirectInput(in.toFile())
        .redirectError(ProcessBuilder.Redirect.to(dir.resolve("err.txt").toFile()))
        .start();
    byte[] stdout = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), Files.readString(dir.resolve("err.txt")));
    List<String> lines = new String(stdout, StandardCharsets.UTF_8).lines().toList();
    assertEquals(4, lines.size(), String.join("\n", lines));
    lines.forEach(l -> assertTrue(LINE.matcher(l).matches(), "label<TAB>score: " + l));
    assertEquals(List.of("positive", "negative", "neutral", "neutral"), lines.stream().map(l -> l.split("\t")[0]).toList());
  }
}
