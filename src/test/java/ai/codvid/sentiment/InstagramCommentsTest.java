package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The hand-labelled Instagram-style comments of src/test/resources/sentiment/instagram-comments.tsv. */
class InstagramCommentsTest {

  private record Labelled(String expected, String category, String text) {
  }

  /** Comments whose words the English model cannot read: a wrong label must at least not be a confident one. */
  private static final Set<String> UNREADABLE = Set.of("emoji", "pt", "es", "hi-latn", "empty");
  private static List<Labelled> comments;
  private static List<Sentiment> results;

  @BeforeAll
  static void classify() throws IOException {
    comments = new ArrayList<>();
    try (InputStream in = InstagramCommentsTest.class.getResourceAsStream("/sentiment/instagram-comments.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (line.startsWith("#") || line.isEmpty()) {
          continue;
        }
        String[] parts = line.split("\t", 3);
        comments.add(new Labelled(parts[0], parts[1], parts.length > 2 ? parts[2] : ""));
      }
    }
    SentimentClassifier classifier = SentimentClassifier.shared();
    results = comments.stream().map(c -> classifier.classify(c.text())).toList();
  }

  @Test
  @DisplayName("At least 85% of the hand-labelled comments get the expected label")
  void agreement() {
    long agree = 0;
    StringBuilder misses = new StringBuilder();
    for (int i = 0; i < comments.size(); i++) {
      if (comments.get(i).expected().equals(results.get(i).label())) {
        agree++;
      } else {
        misses.append('\n').append(comments.get(i)).append(" -> ").append(results.get(i));
      }
    }
    double share = (double) agree / comments.size();
    assertTrue(comments.size() >= 60, "the set has " + comments.size() + " comments");
    assertTrue(share >= 0.85, "agreement " + share + misses);
  }

  @Test
  @DisplayName("Emoji-only, non-English and empty comments get the expected label or an unconfident neutral, never a confident wrong one")
  void unreadableCommentsAreSensible() {
    for (int i = 0; i < comments.size(); i++) {
      Labelled c = comments.get(i);
      Sentiment s = results.get(i);
      if (UNREADABLE.contains(c.category())) {
        boolean sensible = c.expected().equals(s.label()) || (Sentiment.NEUTRAL.equals(s.label()) && s.score() < 0.5);
        assertTrue(sensible, c + " -> " + s);
      }
    }
  }

  @Test
  @DisplayName("Empty and GIF comments are neutral, without a language when they hold no letters; emoji-only ones have none; Portuguese and Spanish ones mostly carry theirs")
  void languages() {
    for (int i = 0; i < comments.size(); i++) {
      Labelled c = comments.get(i);
      Sentiment s = results.get(i);
      if (c.category().equals("empty")) {
        assertTrue(Sentiment.NEUTRAL.equals(s.label()), c + " -> " + s);
        assertTrue(s.language() == null || c.text().codePoints().anyMatch(Character::isLetter), c + " -> " + s);
      }
      if (c.category().equals("emoji")) {
        assertTrue(s.language() == null, c + " -> " + s);
      }
    }
    long romance = 0;
    long tagged = 0;
    for (int i = 0; i < comments.size(); i++) {
      String category = comments.get(i).category();
      if (category.equals("pt") || category.equals("es")) {
        romance++;
        tagged += category.equals(results.get(i).language()) ? 1 : 0;
      }
    }
    assertTrue(tagged * 10 >= romance * 6, tagged + " of " + romance + " Portuguese/Spanish comments tagged with their language");
  }
}
