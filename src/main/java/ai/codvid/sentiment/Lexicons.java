package ai.codvid.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sentiment lexicons shipped under {@code src/main/resources/sentiment/} (sources and
 * licences in each file's header and in docs/sentiment.md): VADER for English words and
 * emoticons, an emoji polarity list, and per-language word/stem lists. Immutable once loaded.
 */
final class Lexicons {

  static final List<String> LANGUAGES = List.of("pt", "es", "fr", "de", "it", "nl", "id", "tr", "pl", "ru", "ar", "hi");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private final Map<String, Float> vader;
  private final Map<String, Float> emoji;
  private final Map<String, LanguageLexicon> languages;

  private Lexicons(Map<String, Float> vader, Map<String, Float> emoji, Map<String, LanguageLexicon> languages) {
    this.vader = vader;
    this.emoji = emoji;
    this.languages = languages;
  }

  static Lexicons load() {
    Map<String, LanguageLexicon> languages = new HashMap<>();
    for (String lang : LANGUAGES) {
      Map<String, Float> all = read("lexicon_" + lang + ".tsv");
      Map<String, Float> words = new HashMap<>();
      Map<String, Float> stems = new HashMap<>();
      all.forEach((k, v) -> {
        if (k.startsWith("stem:")) {
          stems.put(k.substring(5), v);
        } else {
          words.put(k, v);
        }
      });
      languages.put(lang, new LanguageLexicon(words, stems));
    }
    return new Lexicons(read("vader_lexicon.tsv"), read("emoji_lexicon.tsv"), languages);
  }

  /** VADER valence (-4..4) of a token as written or lower-cased, 0 when unknown. */
  float vader(String token) {
    Float v = vader.get(token);
    if (v == null) {
      v = vader.get(token.toLowerCase(Locale.ROOT));
    }
    return v == null ? 0f : v;
  }

  Set<String> emoticons() {
    return vader.keySet();
  }

  /** Polarity (-1..1) of an emoji token; sequences fall back to their first pictograph. */
  float emoji(String token) {
    String key = stripModifiers(token);
    Float v = emoji.get(key);
    if (v == null && !key.isEmpty()) {
      v = emoji.get(new String(Character.toChars(key.codePointAt(0))));
    }
    return v == null ? 0f : v;
  }

  boolean knowsEmoji(String token) {
    String key = stripModifiers(token);
    return !key.isEmpty() && (emoji.containsKey(key) || emoji.containsKey(new String(Character.toChars(key.codePointAt(0)))));
  }

  LanguageLexicon language(String lang) {
    return lang == null ? null : languages.get(lang);
  }

  private static String stripModifiers(String token) {
    StringBuilder b = new StringBuilder(token.length());
    token.codePoints().filter(cp -> cp != 0xFE0F && !(cp >= 0x1F3FB && cp <= 0x1F3FF)).forEach(b::appendCodePoint);
    return b.toString();
  }

  static String stripAccents(String word) {
    return MARKS.matcher(Normalizer.normalize(word, Normalizer.Form.NFD)).replaceAll("");
  }

  private static Map<String, Float> read(String name) {
    Map<String, Float> map = new HashMap<>();
    try (InputStream in = Lexicons.class.getResourceAsStream("/sentiment/" + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource sentiment/" + name);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        int tab = line.lastIndexOf('\t');
        if (line.startsWith("# ") || tab <= 0) {
          continue;
        }
        map.put(line.substring(0, tab), Float.parseFloat(line.substring(tab + 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return map;
  }

  /** Word valences (-5..5) of one language, with stem prefixes as a fallback. */
  record LanguageLexicon(Map<String, Float> words, Map<String, Float> stems) {

    /** The valence of a lower-cased word, or 0 when neither the word nor a stem of 4+ letters is known. */
    float valence(String word) {
      Float v = words.get(word);
      if (v != null) {
        return v;
      }
      String plain = stripAccents(word);
      v = words.get(plain);
      if (v != null) {
        return v;
      }
      for (int len = Math.min(plain.length(), 12); len >= 4; len--) {
        v = stems.get(plain.substring(0, len));
        if (v != null) {
          return v;
        }
      }
      return 0f;
    }
  }
}
