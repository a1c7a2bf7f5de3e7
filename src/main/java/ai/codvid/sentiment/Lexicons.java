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

  /** Languages with a word lexicon of their own (English uses VADER). */
  static final List<String> LANGUAGES = List.of("pt", "es", "fr", "de", "it", "ar", "hi");
  /** Longest slang phrase, in words. */
  static final int MAX_SLANG_WORDS = 4;
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private final Map<String, Float> vader;
  private final Map<String, Float> emoji;
  private final Map<String, LanguageLexicon> languages;
  private final Map<String, Map<String, Float>> slang;
  private final Set<String> hinglish;

  private Lexicons(Map<String, Float> vader, Map<String, Float> emoji, Map<String, LanguageLexicon> languages,
      Map<String, Map<String, Float>> slang, Set<String> hinglish) {
    this.hinglish = hinglish;
    this.vader = vader;
    this.emoji = emoji;
    this.languages = languages;
    this.slang = slang;
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
    Map<String, Float> emoji = read("emoji_lexicon.tsv");
    emoji.putAll(read("emoji_instagram.tsv"));
    return new Lexicons(read("vader_lexicon.tsv"), emoji, languages, readSlang(), readWords("hinglish_words.txt"));
  }

  /** Whether a lower-cased Latin-script word is a common romanised Hindi (Hinglish) function word. */
  boolean hinglish(String word) {
    return hinglish.contains(word);
  }

  private static Set<String> readWords(String name) {
    try (InputStream in = Lexicons.class.getResourceAsStream("/sentiment/" + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource sentiment/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(java.util.stream.Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The slang valence (-1..1) of a lower-cased word or space-separated phrase in a language, or null. */
  Float slang(String language, String phrase) {
    Map<String, Float> m = language == null ? null : slang.get(language);
    return m == null ? null : m.get(phrase);
  }

  private static Map<String, Map<String, Float>> readSlang() {
    Map<String, Map<String, Float>> out = new HashMap<>();
    for (Map.Entry<String, Float> e : read("slang.tsv").entrySet()) {
      int tab = e.getKey().indexOf('\t');
      out.computeIfAbsent(e.getKey().substring(0, tab), k -> new HashMap<>()).put(e.getKey().substring(tab + 1), e.getValue());
    }
    return out;
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

  /**
   * Mean polarity (-1..1) of the known emoji in a run such as "😭😭😂" (each emoji with its skin
   * tone, variation selector and ZWJ partners is one unit; an unknown ZWJ sequence falls back to
   * its first pictograph), 0 when none is known.
   */
  float emoji(String token) {
    double sum = 0;
    int known = 0;
    for (String unit : emojiUnits(token)) {
      Float v = emojiUnit(unit);
      if (v != null) {
        sum += v;
        known++;
      }
    }
    return known == 0 ? 0f : (float) (sum / known);
  }

  boolean knowsEmoji(String token) {
    return emojiUnits(token).stream().anyMatch(u -> emojiUnit(u) != null);
  }

  private Float emojiUnit(String unit) {
    String key = stripModifiers(unit);
    if (key.isEmpty()) {
      return null;
    }
    Float v = emoji.get(key);
    return v != null ? v : emoji.get(new String(Character.toChars(key.codePointAt(0))));
  }

  /** Splits a run of emoji into single emoji, keeping ZWJ sequences, modifiers and keycaps with their base. */
  static List<String> emojiUnits(String token) {
    List<String> units = new java.util.ArrayList<>();
    StringBuilder unit = new StringBuilder();
    boolean joined = false;
    for (int i = 0; i < token.length(); ) {
      int cp = token.codePointAt(i);
      i += Character.charCount(cp);
      boolean modifier = cp == 0xFE0F || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F);
      if (cp == 0x200D) {
        unit.appendCodePoint(cp);
        joined = true;
        continue;
      }
      if (unit.length() > 0 && !modifier && !joined) {
        units.add(unit.toString());
        unit.setLength(0);
      }
      unit.appendCodePoint(cp);
      joined = false;
    }
    if (unit.length() > 0) {
      units.add(unit.toString());
    }
    return units;
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
