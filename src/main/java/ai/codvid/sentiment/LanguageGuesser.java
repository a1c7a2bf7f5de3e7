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
import java.util.List;

/** The language of a comment's words, by the optimaize detector's built-in profiles. Thread-safe. */
final class LanguageGuesser {

  /** A detected ISO 639-1 code and the detector's probability for it. */
  record Guess(String language, double probability) {
    static final Guess UNKNOWN = new Guess(null, 0);
  }

  private final LanguageDetector detector;
  private final TextObjectFactory texts = CommonTextObjectFactories.forDetectingShortCleanText();

  LanguageGuesser() {
    try {
      detector = LanguageDetectorBuilder.create(NgramExtractors.standard())
          .shortTextAlgorithm(0)
          .withProfiles(new LanguageProfileReader().readAllBuiltIn())
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
    DetectedLanguage top = found.get(0);
    return new Guess(top.getLocale().getLanguage(), top.getProbability());
  }
}
