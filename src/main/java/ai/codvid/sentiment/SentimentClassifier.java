package ai.codvid.sentiment;

import edu.stanford.nlp.stats.Counter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Labels one comment. English goes to the trained {@link SentimentModel}; comments without words
 * are read from their emoji and emoticons; other languages are read from that language's lexicon
 * when one ships, and otherwise get {@code neutral} with a low score and the detected language —
 * never a confident label from a model that cannot read the text.
 *
 * <p>Loading (model, lexicons, language profiles) takes about a second and happens once per JVM,
 * in {@link #shared()}, on whichever thread asks first; callers keep that off event loops.
 * Instances are immutable and thread-safe.
 */
public final class SentimentClassifier {

  /** The score given with {@code neutral} when nothing in the text could be read. */
  public static final double UNREAD_SCORE = 1.0 / 3;
  private static final double EMOJI_THRESHOLD = 0.1;
  private static final Set<String> FOREIGN_NEGATORS = Set.of("não", "nao", "nunca", "nem", "no", "ni", "jamás",
      "jamas", "pas", "ne", "nicht", "kein", "keine", "non", "niet", "geen", "tidak", "bukan", "değil", "nie",
      "не", "ни", "لا", "नहीं", "mat", "nahi", "nahin");

  private final Lexicons lexicons;
  private final CommentTokenizer tokenizer;
  private final CommentFeatures features;
  private final SentimentModel model;
  private final LanguageGuesser languages;

  SentimentClassifier(Lexicons lexicons, SentimentModel model, LanguageGuesser languages) {
    this.lexicons = lexicons;
    this.tokenizer = new CommentTokenizer(lexicons.emoticons());
    this.features = new CommentFeatures(lexicons);
    this.model = model;
    this.languages = languages;
  }

  /** The JVM-wide classifier, loaded on first use. */
  public static SentimentClassifier shared() {
    return Holder.INSTANCE;
  }

  private static final class Holder {
    static final SentimentClassifier INSTANCE =
        new SentimentClassifier(Lexicons.load(), SentimentModel.fromResource(), new LanguageGuesser());
  }

  /** A description of the loaded model (training data size, settings, validation figures). */
  public String modelDescription() {
    return model.description();
  }

  public Sentiment classify(String raw) {
    String text = CommentText.clean(raw);
    List<Token> tokens = tokenizer.tokenize(text);
    int words = 0;
    StringBuilder letters = new StringBuilder();
    for (Token t : tokens) {
      if (t.is(Token.Kind.WORD)) {
        words++;
        letters.append(t.text()).append(' ');
      }
    }
    if (words == 0) {
      return fromSymbols(tokens, null, 1.0);
    }
    LanguageGuesser.Guess guess = languages.guess(letters.toString());
    if (readsAsEnglish(tokens, words, guess)) {
      return fromModel(tokens);
    }
    Sentiment best = null;
    for (String language : guess.languages()) {
      Lexicons.LanguageLexicon lexicon = lexicons.language(language);
      if (lexicon != null) {
        Sentiment read = fromLexicon(tokens, lexicon, guess.language());
        if (best == null || read.score() > best.score()) {
          best = read;
        }
      }
    }
    if (best != null && best.score() > UNREAD_SCORE) {
      return best;
    }
    Sentiment byLexicon = bestLexiconReading(tokens, words);
    return byLexicon != null ? byLexicon : fromSymbols(tokens, guess.language(), 0.7);
  }

  private boolean readsAsEnglish(List<Token> tokens, int words, LanguageGuesser.Guess guess) {
    int known = 0;
    for (Token t : tokens) {
      if (t.is(Token.Kind.WORD) && readable(CommentFeatures.normalize(t))) {
        known++;
      }
    }
    double coverage = (double) known / words;
    if ("en".equals(guess.language())) {
      return coverage >= 0.4;
    }
    if (guess.language() != null && guess.probability() >= 0.8) {
      return coverage >= 0.9;
    }
    return coverage >= 0.6;
  }

  private boolean readable(String word) {
    return model.knowsFeature("w|" + word) || lexicons.vader(word) != 0
        || model.knowsFeature("w|" + CommentFeatures.squeezeAll(word)) || lexicons.vader(CommentFeatures.squeezeAll(word)) != 0;
  }

  Sentiment fromModel(List<Token> tokens) {
    Counter<String> f = features.extract(tokens);
    double[] p = model.probabilities(f);
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return new Sentiment(SentimentModel.LABELS.get(best), round(p[best]), "en");
  }

  /** Emoji and emoticons only; {@code cap} bounds the confidence when the words could not be read. */
  private Sentiment fromSymbols(List<Token> tokens, String language, double cap) {
    double sum = 0;
    int known = 0;
    for (Token t : tokens) {
      if (t.is(Token.Kind.EMOJI) && lexicons.knowsEmoji(t.text())) {
        sum += lexicons.emoji(t.text());
        known++;
      } else if (t.is(Token.Kind.EMOTICON)) {
        float v = lexicons.vader(t.text());
        if (v != 0) {
          sum += v / 4;
          known++;
        }
      }
    }
    boolean anyText = tokens.stream().anyMatch(t -> t.is(Token.Kind.WORD) || t.is(Token.Kind.EMOJI) || t.is(Token.Kind.EMOTICON));
    if (known == 0) {
      return new Sentiment(Sentiment.NEUTRAL, anyText ? UNREAD_SCORE : 1.0, language);
    }
    double mean = sum / known;
    if (Math.abs(mean) < EMOJI_THRESHOLD) {
      return new Sentiment(Sentiment.NEUTRAL, round(Math.min(cap, 0.6)), language);
    }
    double confidence = Math.min(cap, 0.5 + 0.5 * Math.min(1, Math.abs(mean)));
    return new Sentiment(mean > 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE, round(confidence), language);
  }

  private Sentiment fromLexicon(List<Token> tokens, Lexicons.LanguageLexicon lexicon, String language) {
    double total = 0;
    int hits = 0;
    boolean negate = false;
    for (Token t : tokens) {
      if (t.is(Token.Kind.WORD) || t.is(Token.Kind.HASHTAG)) {
        String w = CommentFeatures.normalize(t);
        float v = lexicon.valence(w);
        if (v == 0 && w.endsWith("s")) {
          v = lexicon.valence(w.substring(0, w.length() - 1));
        }
        if (v != 0) {
          total += negate ? -v : v;
          hits++;
        }
        negate = FOREIGN_NEGATORS.contains(w.toLowerCase(Locale.ROOT));
      } else if (t.is(Token.Kind.EMOJI) && lexicons.knowsEmoji(t.text())) {
        total += 4 * lexicons.emoji(t.text());
        hits++;
      } else if (t.is(Token.Kind.EMOTICON)) {
        float v = lexicons.vader(t.text());
        total += v;
        hits += v != 0 ? 1 : 0;
      }
    }
    if (hits == 0) {
      return new Sentiment(Sentiment.NEUTRAL, UNREAD_SCORE, language);
    }
    if (Math.abs(total) < 1) {
      return new Sentiment(Sentiment.NEUTRAL, 0.5, language);
    }
    double confidence = Math.min(0.85, 0.5 + 0.08 * Math.abs(total));
    return new Sentiment(total > 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE, round(confidence), language);
  }

  /**
   * When the detector's languages read nothing (three-word comments are often taken for a
   * neighbouring language), the shipped lexicon that knows the most of the words, if it knows at
   * least a third of them; its confidence is capped at 0.6.
   */
  private Sentiment bestLexiconReading(List<Token> tokens, int words) {
    String bestLanguage = null;
    int bestHits = 0;
    for (String language : Lexicons.LANGUAGES) {
      Lexicons.LanguageLexicon lexicon = lexicons.language(language);
      int hits = 0;
      for (Token t : tokens) {
        if (t.is(Token.Kind.WORD) && lexicon.valence(CommentFeatures.normalize(t)) != 0) {
          hits++;
        }
      }
      if (hits > bestHits) {
        bestHits = hits;
        bestLanguage = language;
      }
    }
    if (bestLanguage == null || bestHits * 3 < words) {
      return null;
    }
    Sentiment read = fromLexicon(tokens, lexicons.language(bestLanguage), bestLanguage);
    return new Sentiment(read.label(), Math.min(read.score(), 0.6), bestLanguage);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  // ---- for training and benchmarks ----

  List<Token> tokens(String raw) {
    return tokenizer.tokenize(CommentText.clean(raw));
  }

  Counter<String> features(String raw) {
    return features.extract(tokens(raw));
  }
}
