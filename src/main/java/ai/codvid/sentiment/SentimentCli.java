package ai.codvid.sentiment;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code java -jar codvid-ai.jar sentiment}: one text per line on stdin (UTF-8), one
 * {@code label<TAB>score} line per input line on stdout, same order, nothing else on stdout.
 * Undecodable bytes become U+FFFD; an empty line is a (neutral) comment too.
 */
public final class SentimentCli {

  private static final int CHUNK = 2048;

  /** Set before any logger exists, so library logging goes to stderr. */
  public static final String LOGBACK_CONFIG = "sentiment/logback-cli.xml";

  public static void run(String[] args) throws IOException {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      run(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    } finally {
      System.setOut(stdout);
    }
  }

  /** Classifies every line of {@code in} onto {@code out}; flushes, closes neither stream. */
  public static void run(InputStream in, OutputStream out) throws IOException {
    SentimentClassifier classifier = SentimentClassifier.shared();
    RecentResults recent = new RecentResults(cacheSize());
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    List<String> chunk = new ArrayList<>(CHUNK);
    String line;
    while ((line = reader.readLine()) != null) {
      chunk.add(line);
      if (chunk.size() == CHUNK) {
        write(classifyAll(classifier, recent, chunk), writer);
        chunk.clear();
      }
    }
    write(classifyAll(classifier, recent, chunk), writer);
    writer.flush();
  }

  /** Lines are classified in chunks, in parallel on the common pool, and written in input order. */
  private static Sentiment[] classifyAll(SentimentClassifier classifier, RecentResults recent, List<String> lines) {
    Sentiment[] results = new Sentiment[lines.size()];
    IntStream.range(0, lines.size()).parallel().forEach(i -> {
      String text = lines.get(i);
      Sentiment s = recent.get(text);
      if (s == null) {
        s = classifier.classify(text);
        recent.put(text, s);
      }
      results[i] = s;
    });
    return results;
  }

  private static void write(Sentiment[] results, Writer writer) throws IOException {
    for (Sentiment s : results) {
      writer.write(s.label());
      writer.write('\t');
      writer.write(String.format(Locale.ROOT, "%.3f", s.score()));
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
