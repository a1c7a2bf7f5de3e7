package ai.codvid.sentiment;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code java -jar codvid-ai.jar sentiment}: one comment per line on stdin (UTF-8), one
 * {@code label<TAB>score<TAB>language} line per input line on stdout, same order, nothing else on
 * stdout ({@code und} when no language could be told). Lines of any length are read without
 * holding more than {@value #MAX_LINE_BYTES} bytes of one. A blank line, a line that is not UTF-8
 * text (invalid bytes, NUL or other control characters) and a line over {@value #MAX_LINE_BYTES}
 * bytes each get a one-line error on stderr and a neutral row on stdout; the exit status stays 0.
 */
public final class SentimentCli {

  /** Longest line classified; Instagram caps comments at 2,200 characters. */
  static final int MAX_LINE_BYTES = 64 * 1024;
  private static final int CHUNK = 1024;
  static final String NO_LANGUAGE = "und";

  /** Set before any logger exists, so library logging goes to stderr. */
  public static final String LOGBACK_CONFIG = "sentiment/logback-cli.xml";

  public static void run(String[] args) throws IOException {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      run(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), System.err);
    } finally {
      System.setOut(stdout);
    }
  }

  /** Classifies every line of {@code in} onto {@code out}, problems onto {@code err}; flushes, closes neither stream. */
  public static void run(InputStream in, OutputStream out, PrintStream err) throws IOException {
    SentimentClassifier classifier = SentimentClassifier.shared();
    RecentResults recent = new RecentResults(cacheSize());
    LineReader reader = new LineReader(new BufferedInputStream(in, 1 << 16));
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    List<Line> chunk = new ArrayList<>(CHUNK);
    Line line;
    long number = 0;
    while ((line = reader.next(++number)) != null) {
      chunk.add(line);
      if (chunk.size() == CHUNK) {
        write(classifyAll(classifier, recent, chunk, err), writer);
        chunk.clear();
      }
    }
    write(classifyAll(classifier, recent, chunk, err), writer);
    writer.flush();
  }

  /** One input line: its text, or why it is not classified. */
  record Line(long number, String text, String problem) {
  }

  /** Reads lines of any length, keeping at most {@value #MAX_LINE_BYTES} bytes of each. */
  static final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LineReader(InputStream in) {
      this.in = in;
    }

    Line next(long number) throws IOException {
      buffer.reset();
      long length = 0;
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (length++ < MAX_LINE_BYTES) {
          buffer.write(b);
        }
      }
      if (b == -1 && length == 0) {
        return null;
      }
      byte[] bytes = buffer.toByteArray();
      if (length > MAX_LINE_BYTES) {
        return new Line(number, null, String.format(Locale.ROOT, "%,d bytes, over the %,d-byte limit of one comment", length, MAX_LINE_BYTES));
      }
      if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
        bytes = Arrays.copyOf(bytes, bytes.length - 1);
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        return new Line(number, null, "not UTF-8 text (invalid byte sequence)");
      }
      if (text.chars().anyMatch(c -> c == 0 || (Character.isISOControl(c) && c != '\t'))) {
        return new Line(number, null, "not text (NUL or other control characters)");
      }
      if (text.isBlank()) {
        return new Line(number, null, "blank line");
      }
      return new Line(number, text, null);
    }
  }

  /** Lines are classified in chunks, split over the cores, and written in input order. */
  private static Sentiment[] classifyAll(SentimentClassifier classifier, RecentResults recent, List<Line> lines, PrintStream err) {
    Sentiment[] results = new Sentiment[lines.size()];
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      if (line.problem() != null) {
        err.println("sentiment: line " + line.number() + ": " + line.problem() + "; written as neutral");
        results[i] = new Sentiment(Sentiment.NEUTRAL, line.problem().equals("blank line") ? 1.0 : SentimentClassifier.UNREAD_SCORE, null);
      } else {
        results[i] = recent.get(line.text());
        if (results[i] == null) {
          todo.add(i);
        }
      }
    }
    int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), (todo.size() + 31) / 32));
    IntStream.range(0, parts).parallel().forEach(p -> {
      List<Integer> mine = todo.subList(todo.size() * p / parts, todo.size() * (p + 1) / parts);
      List<Sentiment> got = classifier.classifyAll(mine.stream().map(i -> lines.get(i).text()).toList());
      for (int k = 0; k < mine.size(); k++) {
        results[mine.get(k)] = got.get(k);
        recent.put(lines.get(mine.get(k)).text(), got.get(k));
      }
    });
    return results;
  }

  private static void write(Sentiment[] results, Writer writer) throws IOException {
    for (Sentiment s : results) {
      writer.write(s.label());
      writer.write('\t');
      writer.write(String.format(Locale.ROOT, "%.3f", s.score()));
      writer.write('\t');
      writer.write(s.language() == null ? NO_LANGUAGE : s.language());
      writer.write('\n');
    }
  }

  /** {@code sentiment.cache_size} as a system property or {@code CODVID_SENTIMENT_CACHE_SIZE}; default 10,000. */
  static int cacheSize() {
    String value = System.getProperty("sentiment.cache_size", System.getenv("CODVID_SENTIMENT_CACHE_SIZE"));
    try {
      return value == null || value.isBlank() ? 10_000 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 10_000;
    }
  }

  private SentimentCli() {
  }
}
