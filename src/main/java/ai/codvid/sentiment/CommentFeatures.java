package ai.codvid.sentiment;

import edu.stanford.nlp.stats.ClassicCounter;
import edu.stanford.nlp.stats.Counter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns tokens into the English model's features: negation-marked word uni/bigrams, character
 * 3–5-grams, VADER and emoji lexicon scores, and social-media signals (elongation, caps, !, ?).
 * Thread-safe.
 */
final class CommentFeatures {

  private static final Set<String> NEGATORS = Set.of("not", "no", "never", "n't", "cannot", "nothing", "nobody",
      "none", "nor", "neither", "without", "nowhere", "dont", "didnt", "doesnt", "isnt", "wasnt", "cant", "wont",
      "aint", "shouldnt", "couldnt", "wouldnt", "havent", "hasnt", "arent", "werent");
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

  Counter<String> extract(List<Token> tokens) {
    Counter<String> f = new ClassicCounter<>(64 + tokens.size() * 12);
    f.setCount("BIAS", 1);
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
    StringBuilder chars = new StringBuilder(" ");
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
        f.setCount("emoji|" + t.text(), 1);
      }
      if (t.is(Token.Kind.WORD) || t.is(Token.Kind.EMOTICON) || t.is(Token.Kind.HASHTAG)) {
        wordsCount += t.is(Token.Kind.WORD) ? 1 : 0;
        double v = lexicons.vader(t.is(Token.Kind.HASHTAG) ? n : t.text());
        if (v == 0 && !n.equals(t.text())) {
          v = lexicons.vader(n);
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
        f.setCount("w|#" + n, 1);
      }
      String w = t.is(Token.Kind.PUNCT) ? squeezePunct(n) : n;
      f.setCount(negated && t.is(Token.Kind.WORD) ? "w|" + w + "_NEG" : "w|" + w, 1);
      words.add(w);
      if (NEGATORS.contains(n) || n.endsWith("n't")) {
        negated = true;
      }
      if (!t.is(Token.Kind.EMOJI)) {
        chars.append(w).append(' ');
      }
    }
    words.add("</s>");
    for (int i = 1; i < words.size(); i++) {
      f.setCount("b|" + words.get(i - 1) + " " + words.get(i), 1);
    }
    charGrams(chars, f);
    f.setCount("lex_pos", Math.log1p(pos));
    f.setCount("lex_neg", Math.log1p(neg));
    f.setCount("lex_max", max / 4);
    f.setCount("lex_min", min / 4);
    f.setCount("lex_last", last / 4);
    double sum = pos - neg;
    f.setCount("lex_compound", sum / Math.sqrt(sum * sum + 15));
    f.setCount("emo_pos", Math.log1p(emojiPos));
    f.setCount("emo_neg", Math.log1p(emojiNeg));
    f.setCount("caps", Math.min(caps, 3) / 3.0);
    f.setCount("elong", Math.min(elongated, 2) / 2.0);
    f.setCount("hashtags", Math.min(hashtags, 4) / 4.0);
    f.setCount("short", wordsCount <= 3 ? 1 : 0);
    punctuation(tokens, f);
    return f;
  }

  private static void charGrams(StringBuilder chars, Counter<String> f) {
    String s = chars.toString();
    int len = s.length();
    for (int n = 3; n <= 5; n++) {
      for (int i = 0; i + n <= len; i++) {
        f.setCount("c|" + s.substring(i, i + n), 1);
      }
    }
  }

  private static void punctuation(List<Token> tokens, Counter<String> f) {
    int excl = 0;
    int quest = 0;
    for (Token t : tokens) {
      if (t.is(Token.Kind.PUNCT)) {
        excl += t.text().chars().filter(c -> c == '!').count();
        quest += t.text().chars().filter(c -> c == '?').count();
      }
    }
    f.setCount("excl", Math.min(excl, 4) / 4.0);
    f.setCount("quest", Math.min(quest, 4) / 4.0);
    if (!tokens.isEmpty()) {
      String lastText = tokens.get(tokens.size() - 1).text();
      f.setCount("ends|" + (lastText.contains("!") ? "!" : lastText.contains("?") ? "?" : tokens.get(tokens.size() - 1).kind().name()), 1);
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
