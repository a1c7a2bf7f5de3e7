package ai.codvid.sentiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the development data of {@code shared/data} (see its README): the SemEval 2013–2016
 * training pool and the TweetEval validation split. The texts are only read, never written.
 */
final class TrainingData {

  record Example(String text, String label) {
  }

  record Pool(List<Example> examples, int read, int duplicates, int inValidation) {
  }

  private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9a-fA-F]{4})");
  private static final Pattern MENTION = Pattern.compile("@\\w+");
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  /** The 2,000 validation tweets with labels mapped 0/1/2 → negative/neutral/positive. */
  static List<Example> validation(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("tweeteval-sentiment");
    List<String> texts = Files.readAllLines(dir.resolve("val_text.txt"), StandardCharsets.UTF_8);
    List<String> labels = Files.readAllLines(dir.resolve("val_labels.txt"), StandardCharsets.UTF_8);
    List<Example> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(new Example(unescape(texts.get(i)), SentimentModel.LABELS.get(Integer.parseInt(labels.get(i).trim()))));
    }
    return out;
  }

  /** The UMSAB languages: ISO 639-1 code → folder under {@code umsab/}. */
  static final Map<String, String> UMSAB = umsabFolders();

  private static Map<String, String> umsabFolders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ar", "arabic");
    m.put("en", "english");
    m.put("fr", "french");
    m.put("de", "german");
    m.put("hi", "hindi");
    m.put("it", "italian");
    m.put("pt", "portuguese");
    m.put("es", "spanish");
    return m;
  }

  /** One UMSAB split ("train" or "val") of one language (ISO code), labels 0/1/2 → negative/neutral/positive. */
  static List<Example> umsab(Path dataDir, String language, String split) throws IOException {
    Path dir = dataDir.resolve("umsab").resolve(UMSAB.get(language));
    List<String> texts = Files.readAllLines(dir.resolve(split + "_text.txt"), StandardCharsets.UTF_8);
    List<String> labels = Files.readAllLines(dir.resolve(split + "_labels.txt"), StandardCharsets.UTF_8);
    List<Example> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(new Example(unescape(texts.get(i)), SentimentModel.LABELS.get(Integer.parseInt(labels.get(i).trim()))));
    }
    return out;
  }

  /** The training pool, de-duplicated by id and text, without any tweet that is also in {@code exclude}. */
  static Pool training(Path dataDir, List<Example> exclude) throws IOException {
    Set<String> held = new HashSet<>();
    exclude.forEach(e -> held.add(key(e.text())));
    Map<String, Example> byText = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    int read = 0;
    int duplicates = 0;
    int inValidation = 0;
    List<Path> files;
    try (Stream<Path> list = Files.list(dataDir.resolve("semeval2017-task4a-train"))) {
      files = list.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.split("\t", 3);
        if (parts.length < 3) {
          continue;
        }
        String label = parts[1].trim().toLowerCase(Locale.ROOT);
        if (!SentimentModel.LABELS.contains(label)) {
          continue;
        }
        read++;
        String text = unescape(parts[2].strip());
        if (text.length() > 1 && text.startsWith("\"")) {
          text = text.endsWith("\"") ? text.substring(1, text.length() - 1) : text.substring(1);
        }
        String key = key(text);
        if (!ids.add(parts[0].trim()) || byText.containsKey(key) || key.isEmpty()) {
          duplicates++;
          continue;
        }
        if (held.contains(key)) {
          inValidation++;
          continue;
        }
        byText.put(key, new Example(text, label));
      }
    }
    return new Pool(new ArrayList<>(byText.values()), read, duplicates, inValidation);
  }

  static String unescape(String s) {
    Matcher m = ESCAPE.matcher(s);
    StringBuilder b = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }
    m.appendTail(b);
    return b.toString().replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
  }

  /** What identifies a tweet across both sets: lower-case letters and digits, no mentions or URLs. */
  static String key(String text) {
    String s = unescape(text).toLowerCase(Locale.ROOT);
    s = URL.matcher(s).replaceAll(" ");
    s = MENTION.matcher(s).replaceAll(" ");
    return NON_WORD.matcher(s).replaceAll(" ").strip();
  }

  /** Locates shared/data from the project root: ../shared/data, then /work/shared/data. */
  static Path locate(String given) {
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    for (Path candidate : List.of(Path.of("../shared/data"), Path.of("shared/data"), Path.of("/work/shared/data"))) {
      if (Files.isDirectory(candidate.resolve("tweeteval-sentiment"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data not found; pass --data DIR");
  }

  private TrainingData() {
  }
}
