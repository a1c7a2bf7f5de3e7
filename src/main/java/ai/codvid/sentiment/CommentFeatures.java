package ai.codvid.sentiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns tokens into a {@link LinearHead}'s sparse features, in three groups a head may use:
 * {@value #WORDS} (negation-marked word uni/bigrams, emoji, hashtags), {@value #CHARS}
 * (character 3–5-grams) and {@value #LEXICON} (lexicon scores — VADER for English, the language's
 * own lexicon otherwise — emoji polarity, elongation, caps, ! and ?). Thread-safe.
 */
final class CommentFeatures {

  private static final Set<String> NEGATORS = Set.of("not", "no", "never", "n't", "cannot", "nothing", "nobody",
      "none", "nor", "neither", "without", "nowhere", "dont", "didnt", "doesnt", "isnt", "wasnt", "cant", "wont",
      "aint", "shouldnt", "couldnt", "wouldnt", "havent", "hasnt", "arent", "werent");
  /** Character n-gram lengths, as the {@code char_wb} analyser of the usual TF-IDF recipe. */
  static final int MIN_CHARS = 1;
  static final int MAX_CHARS = 5;
  static final String WORDS = "words";
  static final String CHARS = "chars";
  static final String LEXICON = "lexicon";
  /** The encoder is not a sparse group but is named alongside them in a head's settings. */
  static final String ENCODER = "encoder";
  static final Set<String> FOREIGN_NEGATORS = Set.of("não", "nao", "nunca", "nem", "no", "ni", "jamás",
      "jamas", "pas", "ne", "nicht", "kein", "keine", "nie", "non", "mai", "niente", "nulla", "لا", "ما", "مش", "ليس", "مو",
      "नहीं", "mat", "nahi", "nahin", "nhi", "na");
  private static final Set<String> CLAUSE_END = Set.of(".", ",", ":", ";", "!", "?", "!!", "??", "...", "!!!", "?!", "!?");

  private final Lexicons lexicons;

  CommentFeatures(Lexicons lexicons) {
    this.lexicons = lexicons;
  }

  /** Lower-case, placeholders for URLs/mentions/numbers, runs of 3+ equal letters squeezed to 2. */
  static String normalize(Token t) {
    return switch (t.kind()) {
      case URL -> "<url>";
      case MENTION -> "<user>";
      case NUMBER -> "<num>";
      case HASHTAG -> squeeze(t.text().substring(1).toLowerCase(Locale.ROOT));
      default -> squeeze(t.text().toLowerCase(Locale.ROOT));
    };
  }

  static String squeeze(String w) {
    StringBuilder b = new StringBuilder(w.length());
    int run = 0;
    int prev = -1;
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      run = cp == prev ? run + 1 : 1;
      if (run <= 2 || !Character.isLetter(cp)) {
        b.appendCodePoint(cp);
      }
      prev = cp;
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  /** Every run of equal letters squeezed to one: "cuteeee" → "cute". */
  static String squeezeAll(String w) {
    StringBuilder b = new StringBuilder(w.length());
    int prev = -1;
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      if (cp != prev || !Character.isLetter(cp)) {
        b.appendCodePoint(cp);
      }
      prev = cp;
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  static boolean elongated(String w) {
    int run = 0;
    int prev = -1;
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      run = cp == prev ? run + 1 : 1;
      if (run >= 3 && Character.isLetter(cp)) {
        return true;
      }
      prev = cp;
      i += Character.charCount(cp);
    }
    return false;
  }

  Map<String, Float> extract(List<Token> tokens, String language, Set<String> groups) {
    Map<String, Float> f = extract(tokens, language);
    if (!groups.contains(WORDS) || !groups.contains(CHARS) || !groups.contains(LEXICON)) {
      f.keySet().removeIf(k -> !groups.contains(groupOf(k)));
    }
    return f;
  }

  static String groupOf(String feature) {
    if (feature.startsWith("c|")) {
      return CHARS;
    }
    if (feature.startsWith("w|") || feature.startsWith("b|") || feature.startsWith("emoji|")) {
      return WORDS;
    }
    return LEXICON;
  }

  private Map<String, Float> extract(List<Token> tokens, String language) {
    boolean english = language == null || "en".equals(language);
    Lexicons.LanguageLexicon own = english ? null : lexicons.language(language);
    Set<String> negators = english ? NEGATORS : FOREIGN_NEGATORS;
    Map<String, Float> f = new HashMap<>(64 + tokens.size() * 24);
    List<String> words = new ArrayList<>(tokens.size() + 2);
    words.add("<s>");
    boolean negated = false;
    double pos = 0;
    double neg = 0;
    double max = 0;
    double min = 0;
    double last = 0;
    double emojiPos = 0;
    double emojiNeg = 0;
    int caps = 0;
    int elongated = 0;
    int hashtags = 0;
    int wordsCount = 0;
    List<String> chars = new ArrayList<>(tokens.size());
    for (Token t : tokens) {
      String n = normalize(t);
      if (t.is(Token.Kind.PUNCT) && CLAUSE_END.contains(squeezePunct(n))) {
        negated = false;
      }
      if (t.is(Token.Kind.EMOJI)) {
        double e = lexicons.emoji(t.text());
        if (e > 0) {
          emojiPos += e;
        } else {
          emojiNeg -= e;
        }
        double v = 4 * e;
        if (v != 0) {
          pos += Math.max(v, 0);
          neg += Math.max(-v, 0);
          max = Math.max(max, v);
          min = Math.min(min, v);
          last = v;
        }
        f.merge("emoji|" + t.text(), 1f, Float::sum);
      }
      if (t.is(Token.Kind.WORD) || t.is(Token.Kind.EMOTICON) || t.is(Token.Kind.HASHTAG)) {
        wordsCount += t.is(Token.Kind.WORD) ? 1 : 0;
        double v;
        if (english) {
          v = lexicons.vader(t.is(Token.Kind.HASHTAG) ? n : t.text());
          if (v == 0 && !n.equals(t.text())) {
            v = lexicons.vader(n);
          }
          if (v == 0 && t.is(Token.Kind.EMOTICON)) {
            v = lexicons.vader(t.text());
          }
        } else {
          v = t.is(Token.Kind.EMOTICON) ? lexicons.vader(t.text()) : own == null ? 0 : 0.8 * own.valence(n);
        }
        if (negated && t.is(Token.Kind.WORD)) {
          v *= -0.74;
        }
        if (v != 0) {
          if (isAllCaps(t.text())) {
            v *= 1.3;
          }
          if (v > 0) {
            pos += v;
          } else {
            neg -= v;
          }
          max = Math.max(max, v);
          min = Math.min(min, v);
          last = v;
        }
        if (isAllCaps(t.text()) && t.text().length() > 1) {
          caps++;
        }
        if (elongated(t.text())) {
          elongated++;
        }
      }
      if (t.is(Token.Kind.HASHTAG)) {
        hashtags++;
        f.merge("w|#" + n, 1f, Float::sum);
      }
      String w = t.is(Token.Kind.PUNCT) ? squeezePunct(n) : n;
      f.merge(negated && t.is(Token.Kind.WORD) ? "w|" + w + "_NEG" : "w|" + w, 1f, Float::sum);
      words.add(w);
      if (negators.contains(n) || (english && n.endsWith("n't"))) {
        negated = true;
      }
      if (!t.is(Token.Kind.EMOJI)) {
        chars.add(w);
      }
    }
    words.add("</s>");
    for (int i = 1; i < words.size(); i++) {
      f.merge("b|" + words.get(i - 1) + " " + words.get(i), 1f, Float::sum);
    }
    charGrams(chars, f);
    f.put("lex_pos", (float) (Math.log1p(pos)));
    f.put("lex_neg", (float) (Math.log1p(neg)));
    f.put("lex_max", (float) (max / 4));
    f.put("lex_min", (float) (min / 4));
    f.put("lex_last", (float) (last / 4));
    double sum = pos - neg;
    f.put("lex_compound", (float) (sum / Math.sqrt(sum * sum + 15)));
    f.put("emo_pos", (float) (Math.log1p(emojiPos)));
    f.put("emo_neg", (float) (Math.log1p(emojiNeg)));
    f.put("caps", (float) (Math.min(caps, 3) / 3.0));
    f.put("elong", (float) (Math.min(elongated, 2) / 2.0));
    f.put("hashtags", (float) (Math.min(hashtags, 4) / 4.0));
    f.put("short", (float) (wordsCount <= 3 ? 1 : 0));
    punctuation(tokens, f);
    return f;
  }

  /** Character 1–5-grams inside each word padded with a space on each side (counts). */
  private static void charGrams(List<String> words, Map<String, Float> f) {
    for (String w : words) {
      String padded = " " + w + " ";
      int len = padded.length();
      for (int n = MIN_CHARS; n <= MAX_CHARS; n++) {
        for (int i = 0; i + n <= len; i++) {
          f.merge("c|" + padded.substring(i, i + n), 1f, Float::sum);
        }
      }
    }
  }

  private static void punctuation(List<Token> tokens, Map<String, Float> f) {
    int excl = 0;
    int quest = 0;
    for (Token t : tokens) {
      if (t.is(Token.Kind.PUNCT)) {
        excl += t.text().chars().filter(c -> c == '!').count();
        quest += t.text().chars().filter(c -> c == '?').count();
      }
    }
    f.put("excl", (float) (Math.min(excl, 4) / 4.0));
    f.put("quest", (float) (Math.min(quest, 4) / 4.0));
    if (!tokens.isEmpty()) {
      String lastText = tokens.get(tokens.size() - 1).text();
      f.put("ends|" + (lastText.contains("!") ? "!" : lastText.contains("?") ? "?" : tokens.get(tokens.size() - 1).kind().name()), 1f);
    }
  }

  private static String squeezePunct(String p) {
    if (p.length() <= 3) {
      return p;
    }
    return p.chars().allMatch(c -> c == '!') ? "!!!" : p.chars().allMatch(c -> c == '?') ? "???"
        : p.chars().allMatch(c -> c == '.') ? "..." : p.substring(0, 3);
  }

  private static boolean isAllCaps(String w) {
    boolean letter = false;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (Character.isLowerCase(c)) {
        return false;
      }
      letter |= Character.isUpperCase(c);
    }
    return letter;
  }

  static Set<String> wordsOf(List<Token> tokens) {
    Set<String> words = new HashSet<>();
    for (Token t : tokens) {
      if (t.is(Token.Kind.WORD)) {
        words.add(normalize(t));
      }
    }
    return words;
  }
}
