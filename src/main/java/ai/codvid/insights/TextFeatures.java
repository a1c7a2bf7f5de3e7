package ai.codvid.insights;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one comment talks about: its terms (words without the stop words of its language), its
 * emoji and its hashtags, each listed once per comment.
 *
 * <p>Segmentation is ICU4J's (Unicode UAX #29): emoji are grapheme clusters with the
 * {@code RGI_EMOJI} property, so a ZWJ sequence (👨‍👩‍👧), a skin tone (👍🏽) or a flag (🇧🇷)
 * is one emoji, and a text-style heart (❤ without U+FE0F) counts as ❤️; words come from ICU's
 * word break iterator, which segments Chinese, Japanese and Thai with its dictionaries. Mentions
 * and URLs are not terms; hashtags are counted as hashtags, not as terms.
 */
public final class TextFeatures {

  private static final Pattern HASHTAG = Pattern.compile("#([\\p{L}\\p{M}\\p{N}_]+)");
  private static final Pattern NOT_WORDS = Pattern.compile("(?i)https?://\\S+|www\\.\\S+|@[\\p{L}\\p{N}._]+|#[\\p{L}\\p{M}\\p{N}_]+");
  private static final String VS16 = "\uFE0F";

  /** The features of one comment. Lists are in order of first appearance, without repeats. */
  public record Features(List<String> terms, List<String> emoji, List<String> hashtags) {
  }

  private final StopWords stopWords;

  public TextFeatures(StopWords stopWords) {
    this.stopWords = stopWords;
  }

  public static TextFeatures shared() {
    return Holder.SHARED;
  }

  private static final class Holder {
    static final TextFeatures SHARED = new TextFeatures(StopWords.shared());
  }

  /** The features of {@code text}, whose sentiment label detected {@code language} (null = unknown). */
  public Features of(String text, String language) {
    if (text == null || text.isBlank()) {
      return new Features(List.of(), List.of(), List.of());
    }
    String normal = Normalizer.normalize(text, Normalizer.Form.NFC);
    return new Features(terms(normal, language), emoji(normal), hashtags(normal));
  }

  List<String> terms(String text, String language) {
    String words = NOT_WORDS.matcher(text).replaceAll(" ").replace('\u2019', '\'');
    BreakIterator iterator = BreakIterator.getWordInstance(Locale.ROOT);
    iterator.setText(words);
    Set<String> terms = new LinkedHashSet<>();
    for (int start = iterator.first(), end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
      int status = iterator.getRuleStatus();
      boolean letters = status >= BreakIterator.WORD_LETTER && status < BreakIterator.WORD_LETTER_LIMIT;
      boolean ideographs = status >= BreakIterator.WORD_KANA && status < BreakIterator.WORD_IDEO_LIMIT;
      if (!letters && !ideographs) {
        continue;
      }
      String word = words.substring(start, end).toLowerCase(Locale.ROOT);
      if (letters && word.codePointCount(0, word.length()) < 2) {
        continue;
      }
      if (!stopWords.contains(language, word)) {
        terms.add(word);
      }
    }
    return List.copyOf(terms);
  }

  static List<String> emoji(String text) {
    BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    graphemes.setText(text);
    Set<String> found = new LinkedHashSet<>();
    for (int start = graphemes.first(), end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
      String cluster = text.substring(start, end);
      int first = cluster.codePointAt(0);
      if (first <= 0xFF && cluster.length() == 1) {
        continue; // digits, '#', '*', '©' and '®' are text unless written as emoji (keycaps, U+FE0F)
      }
      if (UCharacter.hasBinaryProperty(cluster, UProperty.RGI_EMOJI)) {
        found.add(cluster);
      } else if (first > 0xFF && !cluster.endsWith(VS16) && UCharacter.hasBinaryProperty(cluster + VS16, UProperty.RGI_EMOJI)) {
        found.add(cluster + VS16);
      }
    }
    return List.copyOf(found);
  }

  static List<String> hashtags(String text) {
    Set<String> tags = new LinkedHashSet<>();
    Matcher m = HASHTAG.matcher(text);
    while (m.find()) {
      tags.add("#" + m.group(1).toLowerCase(Locale.ROOT));
    }
    return List.copyOf(tags);
  }
}
