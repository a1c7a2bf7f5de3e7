package ai.codvid.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Labels comments: the one engine behind the worker verticle, the CLI and the benchmarks.
 *
 * <ol>
 *   <li>Comments without words (emoji, emoticons, tags, links, nothing) are read from their emoji
 *       and emoticons; with none that speaks they are {@code neutral}.</li>
 *   <li>Otherwise the language is routed: {@link LanguageRouter} picks among the eight languages
 *       with a head, unless optimaize ({@link LanguageGuesser}) is sure of another language and the
 *       router is not sure of its own — then the comment is {@code neutral} (score 1/3) with that
 *       language stored, unless its emoji speak.</li>
 *   <li>The language's {@link LinearHead} gives calibrated probabilities from n-grams, lexicon
 *       features and (where cross-validation chose it) the e5 sentence encoder.</li>
 *   <li>The Instagram register then shifts them: slang praise/scorn ({@code slang.tsv}) and emoji
 *       polarity ({@code emoji_instagram.tsv}, then {@code emoji_lexicon.tsv}) add to the positive
 *       or negative log-probability; questions and requests with neither lean to neutral.</li>
 * </ol>
 *
 * <p>Loading (model, encoder, lexicons, language profiles) takes a few seconds and happens once per
 * JVM in {@link #shared()}, on whichever thread asks first; callers keep that and every call off
 * event loops. Instances are immutable and thread-safe.
 */
public final class SentimentClassifier {

  /** The score given with {@code neutral} when nothing in the text could be read. */
  public static final double UNREAD_SCORE = 1.0 / 3;
  /** Log-odds added per unit of slang valence. */
  static final double SLANG_WEIGHT = 2.5;
  /** Log-odds added per unit of mean emoji polarity. */
  static final double EMOJI_WEIGHT = 2.0;
  /** Log-odds added to neutral for a question or request without slang or emoji. */
  static final double QUESTION_WEIGHT = 1.5;
  private static final double EMOJI_THRESHOLD = 0.1;
  static final double OPTIMAIZE_SMOOTHING = 0.1;
  private static final Pattern LAUGHTER = Pattern.compile(
      "(?:a?(?:ha){2,}h?|(?:ah){2,}a?h?|(?:ja){2,}j?|(?:je){2,}|(?:he){3,}|(?:hi){3,}|k{3,}|(?:rs){2,}|l+o+l+|lmf?a+o+|mdr+|ptdr+|x+d+|هه+)");
  private static final Set<String> QUESTION_STARTS = Set.of(
      "what", "where", "when", "how", "which", "who", "whats", "what's", "is", "are", "does", "do", "did", "can", "could", "will",
      "song", "price", "pls", "please", "plz", "link", "dm", "part",
      "qué", "que", "dónde", "donde", "cuánto", "cuanto", "cómo", "como", "cuál", "cual", "precio", "pasame", "pásame",
      "qual", "onde", "quanto", "tem", "manda", "preço",
      "où", "combien", "comment", "quel", "quelle", "c'est quelle", "vous", "le lien",
      "wo", "wie", "welche", "welcher", "was", "gibt", "wann", "bitte",
      "dove", "quale", "quando", "chi",
      "kya", "kaha", "kahan", "kitne", "kitna", "kab", "kaise", "kaun", "ye", "yeh",
      "كم", "وين", "هل", "ايش", "شو", "اسم", "ممكن", "متى", "فين");
  private static final Set<String> REQUEST_WORDS = Set.of("please", "pls", "plz", "link", "dm", "tutorial", "porfa", "favor",
      "bitte", "svp", "stp", "favore", "bhejo", "batao", "ممكن", "الرابط", "رابط");

  private final Lexicons lexicons;
  private final CommentTokenizer tokenizer;
  private final CommentFeatures features;
  private final SentimentModel model;
  private final LanguageGuesser guesser;
  private final SentenceEncoder encoder;

  SentimentClassifier(Lexicons lexicons, SentimentModel model, LanguageGuesser guesser, SentenceEncoder encoder) {
    this.lexicons = lexicons;
    this.tokenizer = new CommentTokenizer(lexicons.emoticons());
    this.features = new CommentFeatures(lexicons);
    this.model = model;
    this.guesser = guesser;
    this.encoder = encoder;
  }

  /** The JVM-wide classifier, loaded on first use. */
  public static SentimentClassifier shared() {
    return Holder.INSTANCE;
  }

  private static final class Holder {
    static final SentimentClassifier INSTANCE = new SentimentClassifier(Lexicons.load(), SentimentModel.fromResource(),
        new LanguageGuesser(), SentenceEncoder.load());
  }

  /** A description of the loaded model (training data, settings, cross-validation and validation figures). */
  public String modelDescription() {
    return model.description();
  }

  public Sentiment classify(String raw) {
    return classifyAll(List.of(raw == null ? "" : raw)).get(0);
  }

  /** One result per text, same order; texts that need the encoder are encoded in one batch. */
  public List<Sentiment> classifyAll(List<String> raws) {
    List<Reading> readings = new ArrayList<>(raws.size());
    List<String> toEncode = new ArrayList<>();
    for (String raw : raws) {
      Reading r = read(raw);
      if (r.result == null && r.head.usesEncoder()) {
        r.encoderIndex = toEncode.size();
        toEncode.add(CommentText.forEncoder(r.text));
      }
      readings.add(r);
    }
    float[][] embeddings = toEncode.isEmpty() ? new float[0][] : encoder.encode(toEncode);
    List<Sentiment> out = new ArrayList<>(readings.size());
    for (Reading r : readings) {
      out.add(r.result != null ? r.result : finish(r, r.encoderIndex < 0 ? null : embeddings[r.encoderIndex]));
    }
    return out;
  }

  /** What is known of a comment before the encoder runs. */
  private static final class Reading {
    String text;
    List<Token> tokens;
    String language;
    LinearHead head;
    Sentiment result;
    int encoderIndex = -1;
  }

  private Reading read(String raw) {
    Reading r = new Reading();
    r.text = CommentText.clean(raw);
    r.tokens = tokenizer.tokenize(CommentText.withoutHandles(r.text));
    StringBuilder letters = new StringBuilder();
    for (Token t : r.tokens) {
      if (t.is(Token.Kind.WORD)) {
        letters.append(t.text()).append(' ');
      }
    }
    if (letters.length() == 0) {
      r.result = fromSymbols(r.tokens, null, 1.0);
      return r;
    }
    r.language = route(letters.toString());
    r.head = model.head(r.language);
    if (r.head == null) {
      r.result = fromSymbols(r.tokens, r.language, 0.6);
    }
    return r;
  }

  /**
   * The language of a comment's words: one of the heads' languages, another ISO 639-1 code, or
   * null. Each head language scores the router's probability times (optimaize's probability +
   * {@value #OPTIMAIZE_SMOOTHING}) — the router knows informal tweets, optimaize short clean text;
   * Hindi needs a Devanagari letter or a common Hinglish word, because the router's Hindi tweets
   * are half English: without one, the router's Hindi probability goes to English (this replaced a
   * fixed ×4 weight on English: Instagram-set routing 0.846 → 0.858, English 0.821 → 0.926, UMSAB
   * validation unchanged at 0.946). A language outside the eight wins when optimaize is at least
   * 90 % sure of it and the router is less than 80 % sure of its own pick.
   */
  String route(String words) {
    LanguageRouter router = model.router();
    String letters = LanguageRouter.letters(words);
    if (letters.codePoints().filter(Character::isLetter).count() < 2) {
      return null;
    }
    boolean hindi = letters.codePoints().anyMatch(c -> c >= 0x0900 && c <= 0x097F);
    for (String w : letters.split("[^\\p{L}]+")) {
      hindi |= lexicons.hinglish(w);
    }
    double[] p = router.probabilities(letters);
    if (!hindi) {
      // the router's Hindi tweets are half English: without a Hindi letter or word, what it gives Hindi is English
      int hi = router.languages().indexOf("hi");
      int en = router.languages().indexOf("en");
      p[en] += p[hi];
      p[hi] = 0;
    }
    LanguageGuesser.Guess other = guesser.guess(letters);
    String language = other.language();
    if (!hindi && language != null && !router.languages().contains(language) && other.probability() >= 0.9
        && p[SentimentTrainer.argmax(p)] < 0.8) {
      return language;
    }
    double[] score = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      String candidate = router.languages().get(i);
      double o = 0;
      for (int k = 0; k < other.languages().size(); k++) {
        if (other.languages().get(k).equals(candidate)) {
          o = other.probabilities().get(k);
        }
      }
      score[i] = candidate.equals("hi") ? (hindi ? p[i] * (1 + OPTIMAIZE_SMOOTHING) : 0) : p[i] * (o + OPTIMAIZE_SMOOTHING);
    }
    return router.languages().get(SentimentTrainer.argmax(score));
  }

  private Sentiment finish(Reading r, float[] embedding) {
    Map<String, Float> f = features.extract(r.tokens, r.language, r.head.groups());
    double[] p = register(r.head.probabilities(f, embedding), r.tokens, r.language);
    int label = r.head.decide(p);
    return new Sentiment(SentimentModel.LABELS.get(label), round(p[label]), r.language);
  }

  /** Shifts the head's probabilities by slang, emoji and question/request cues. */
  double[] register(double[] p, List<Token> tokens, String language) {
    double slang = slang(tokens, language);
    double emoji = emojiMean(tokens);
    double[] z = new double[3];
    for (int i = 0; i < 3; i++) {
      z[i] = Math.log(Math.max(p[i], 1e-9));
    }
    z[2] += SLANG_WEIGHT * Math.max(0, slang) + EMOJI_WEIGHT * Math.max(0, emoji);
    z[0] += SLANG_WEIGHT * Math.max(0, -slang) + EMOJI_WEIGHT * Math.max(0, -emoji);
    if (slang == 0 && Math.abs(emoji) < EMOJI_THRESHOLD && questionOrRequest(tokens)) {
      z[1] += QUESTION_WEIGHT;
    }
    return LinearHead.calibrate(z, 1, new double[3]);
  }

  /** Sum of the slang valences of the comment's words and phrases (longest match first) plus laughter. */
  double slang(List<Token> tokens, String language) {
    List<String> words = new ArrayList<>();
    for (Token t : tokens) {
      if (t.is(Token.Kind.WORD) || t.is(Token.Kind.HASHTAG)) {
        words.add(CommentFeatures.normalize(t));
      }
    }
    double sum = 0;
    for (int i = 0; i < words.size(); ) {
      int matched = 0;
      for (int n = Math.min(Lexicons.MAX_SLANG_WORDS, words.size() - i); n >= 1 && matched == 0; n--) {
        Float v = lexicons.slang(language, String.join(" ", words.subList(i, i + n)));
        if (v != null) {
          sum += v;
          matched = n;
        }
      }
      if (matched == 0 && LAUGHTER.matcher(words.get(i)).matches()) {
        sum += 0.4;
      }
      i += Math.max(1, matched);
    }
    return Math.max(-2, Math.min(2, sum));
  }

  private double emojiMean(List<Token> tokens) {
    double sum = 0;
    int known = 0;
    for (Token t : tokens) {
      if (t.is(Token.Kind.EMOJI) && lexicons.knowsEmoji(t.text())) {
        sum += lexicons.emoji(t.text());
        known++;
      }
    }
    return known == 0 ? 0 : sum / known;
  }

  static boolean questionOrRequest(List<Token> tokens) {
    boolean first = true;
    for (Token t : tokens) {
      String w = t.text().toLowerCase(Locale.ROOT);
      if (t.is(Token.Kind.PUNCT) && (w.contains("?") || w.contains("¿") || w.contains("؟"))) {
        return true;
      }
      if (t.is(Token.Kind.WORD)) {
        if ((first && QUESTION_STARTS.contains(w)) || REQUEST_WORDS.contains(w)) {
          return true;
        }
        first = false;
      }
    }
    return false;
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
    double confidence = Math.min(cap, 0.5 + 0.45 * Math.min(1, Math.abs(mean)));
    return new Sentiment(mean > 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE, round(confidence), language);
  }

  private static int argmax(double[] p) {
    return SentimentTrainer.argmax(p);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
