package ai.codvid.sentiment;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The language of a comment's words, by the optimaize detector's built-in profiles. Thread-safe. */
final class LanguageGuesser {

  /** The detected ISO 639-1 codes, most probable first, with the detector's probabilities. */
  record Guess(List<String> languages, List<Double> probabilities) {
    static final Guess UNKNOWN = new Guess(List.of(), List.of());

    String language() {
      return languages.isEmpty() ? null : languages.get(0);
    }

    double probability() {
      return probabilities.isEmpty() ? 0 : probabilities.get(0);
    }
  }

  /**
   * The languages told apart: widely used ones only. With all 71 profiles, short Portuguese and
   * Spanish comments were taken for Asturian, Aragonese, Occitan or Galician.
   */
  static final Set<String> PROFILES = Set.of("af", "ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "et",
      "fa", "fi", "fr", "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "nl", "no", "pl", "pt",
      "ro", "ru", "sk", "sl", "sr", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh-CN", "zh-TW");

  private final LanguageDetector detector;
  private final TextObjectFactory texts = CommonTextObjectFactories.forDetectingShortCleanText();

  LanguageGuesser() {
    try {
      detector = LanguageDetectorBuilder.create(NgramExtractors.standard())
          .shortTextAlgorithm(0)
          .withProfiles(new LanguageProfileReader().readAllBuiltIn().stream()
              .filter(p -> PROFILES.contains(p.getLocale().toString())).toList())
          .seed(42L)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Guess guess(String words) {
    if (words.codePoints().filter(Character::isLetter).count() < 3) {
      return Guess.UNKNOWN;
    }
    List<DetectedLanguage> found = detector.getProbabilities(texts.forText(words));
    if (found.isEmpty()) {
      return Guess.UNKNOWN;
    }
    List<String> languages = new ArrayList<>(found.size());
    List<Double> probabilities = new ArrayList<>(found.size());
    for (DetectedLanguage d : found) {
      languages.add(d.getLocale().getLanguage());
      probabilities.add(d.getProbability());
    }
    return new Guess(languages, probabilities);
  }
}
