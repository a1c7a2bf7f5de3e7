package ai.codvid.sentiment;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT uncased WordPiece tokenizer described by a Hugging Face {@code tokenizer.json}
 * (BertNormalizer with lower-casing and accent stripping, BertPreTokenizer, WordPiece with
 * {@code ##} continuations, {@code [CLS] … [SEP]}), in plain Java.
 *
 * <p>Written out rather than taken from DJL's tokenizers binding because that binding is a Rust
 * library extracted to the user's home directory at run time, for four platforms; this algorithm
 * is short and fully specified, and {@code WordPieceTokenizerTest} checks it against ids produced
 * by Hugging Face {@code tokenizers} itself. Immutable and thread-safe.
 */
final class WordPieceTokenizer {

  private final Map<String, Integer> vocab;
  private final int cls;
  private final int sep;
  private final int unk;
  private final int maxCharsPerWord;

  private WordPieceTokenizer(Map<String, Integer> vocab, int maxCharsPerWord) {
    this.vocab = vocab;
    this.cls = vocab.get("[CLS]");
    this.sep = vocab.get("[SEP]");
    this.unk = vocab.get("[UNK]");
    this.maxCharsPerWord = maxCharsPerWord;
  }

  static WordPieceTokenizer fromResource(String resource) {
    try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing tokenizer resource " + resource);
      }
      JsonObject model = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("model");
      if (!"WordPiece".equals(model.getString("type"))) {
        throw new IllegalStateException(resource + " is not a WordPiece tokenizer");
      }
      Map<String, Integer> vocab = new HashMap<>();
      model.getJsonObject("vocab").forEach(e -> vocab.put(e.getKey(), ((Number) e.getValue()).intValue()));
      return new WordPieceTokenizer(vocab, model.getInteger("max_input_chars_per_word", 100));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Token ids with {@code [CLS]} and {@code [SEP]}, at most {@code maxTokens} of them in all. */
  int[] encode(String text, int maxTokens) {
    List<Integer> ids = new ArrayList<>();
    ids.add(cls);
    for (String word : preTokenize(normalize(text))) {
      if (ids.size() >= maxTokens - 1) {
        break;
      }
      wordPiece(word, ids);
    }
    int n = Math.min(ids.size(), maxTokens - 1);
    int[] out = new int[n + 1];
    for (int i = 0; i < n; i++) {
      out[i] = ids.get(i);
    }
    out[n] = sep;
    return out;
  }

  /** Clean (drop controls, unify whitespace), space out CJK ideographs, strip accents, lower-case. */
  static String normalize(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        continue;
      }
      if (isWhitespace(cp)) {
        b.append(' ');
      } else if (isChinese(cp)) {
        b.append(' ').appendCodePoint(cp).append(' ');
      } else {
        b.appendCodePoint(cp);
      }
    }
    String decomposed = Normalizer.normalize(b, Normalizer.Form.NFD);
    StringBuilder stripped = new StringBuilder(decomposed.length());
    decomposed.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(stripped::appendCodePoint);
    return stripped.toString().toLowerCase(Locale.ROOT);
  }

  /** Splits on whitespace and isolates every punctuation character. */
  static List<String> preTokenize(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isWhitespace(cp)) {
        flush(word, words);
      } else if (isPunctuation(cp)) {
        flush(word, words);
        words.add(new String(Character.toChars(cp)));
      } else {
        word.appendCodePoint(cp);
      }
    }
    flush(word, words);
    return words;
  }

  private void wordPiece(String word, List<Integer> out) {
    int chars = word.codePointCount(0, word.length());
    if (chars > maxCharsPerWord) {
      out.add(unk);
      return;
    }
    List<Integer> pieces = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer found = null;
      while (start < end) {
        String piece = start > 0 ? "##" + word.substring(start, end) : word.substring(start, end);
        found = vocab.get(piece);
        if (found != null) {
          break;
        }
        end = word.offsetByCodePoints(end, -1);
      }
      if (found == null) {
        out.add(unk);
        return;
      }
      pieces.add(found);
      start = end;
    }
    out.addAll(pieces);
  }

  private static void flush(StringBuilder word, List<String> words) {
    if (word.length() > 0) {
      words.add(word.toString());
      word.setLength(0);
    }
  }

  private static boolean isWhitespace(int cp) {
    return cp == '\t' || cp == '\n' || cp == '\r' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }

  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE || type == Character.SURROGATE;
  }

  private static boolean isPunctuation(int cp) {
    if (cp < 128) {
      return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  private static boolean isChinese(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
