package ai.codvid.insights;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The stop words of the languages comment insights knows (resources {@code insights/stopwords},
 * from stopwords-iso, MIT; see its NOTICE.txt). A comment's words are checked against the list
 * of the language its sentiment label detected; Hindi uses both its Devanagari list and the
 * list for Hindi written in Latin script. A comment whose language is unknown or has no list is
 * checked against the English list (Instagram comments mix English into every language).
 */
public final class StopWords {

  /** The languages with a list, ISO 639-1. */
  public static final List<String> LANGUAGES = List.of("en", "es", "pt", "fr", "de", "it", "ar", "hi", "nl", "id", "tr", "pl", "ru");
  private static final String FALLBACK = "en";
  private static final StopWords SHARED = load();

  private final Map<String, Set<String>> lists;

  private StopWords(Map<String, Set<String>> lists) {
    this.lists = lists;
  }

  /** The lists shipped in the jar (loaded once per JVM). */
  public static StopWords shared() {
    return SHARED;
  }

  /** True when {@code word} (lower case) is a stop word of {@code language} (null = unknown). */
  public boolean contains(String language, String word) {
    Set<String> list = language == null ? null : lists.get(language.toLowerCase(Locale.ROOT));
    return (list != null ? list : lists.get(FALLBACK)).contains(word);
  }

  /** The number of words in a language's list (0 when there is none). */
  public int size(String language) {
    Set<String> list = lists.get(language);
    return list == null ? 0 : list.size();
  }

  private static StopWords load() {
    Map<String, Set<String>> lists = new HashMap<>();
    for (String language : LANGUAGES) {
      Set<String> words = read(language);
      if (language.equals("hi")) {
        words.addAll(read("hi-latn"));
      }
      lists.put(language, Set.copyOf(words));
    }
    return new StopWords(Map.copyOf(lists));
  }

  private static Set<String> read(String name) {
    String path = "/insights/stopwords/" + name + ".txt";
    Set<String> words = new HashSet<>();
    try (InputStream in = StopWords.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + path);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String word = line.strip();
        if (!word.isEmpty() && !word.startsWith("#")) {
          words.add(word.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return words;
  }
}
