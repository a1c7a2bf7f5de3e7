package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SentenceEncoderTest {

  @Test
  @DisplayName("A comment gets the same vector and label alone and among a scrape's other comments (int8 activations are quantised per ONNX run)")
  void sameReadingWhateverTheNeighbours() {
    String text = "not sure how i feel about the new colour tbh";
    List<String> scrape = new ArrayList<>();
    for (int i = 0; i < 29; i++) {
      scrape.add(i % 3 == 0 ? "AMAZING!!! best thing i have ever seen in my whole life, love love love it so much " + i
          : i % 3 == 1 ? "worst. purchase. ever. " + i : "ok " + i);
    }
    scrape.add(11, text);
    SentimentClassifier classifier = SentimentClassifier.shared();
    Sentiment alone = classifier.classify(text);
    Sentiment among = classifier.classifyAll(scrape).get(11);
    assertEquals(alone.label(), among.label());
    assertEquals(alone.score(), among.score(), 0.0, "the score may not depend on the other comments of the request");
    assertEquals(alone.language(), among.language());
  }

  @Test
  @DisplayName("Encoder vectors are unit length, and a text's vector does not depend on the texts encoded with it")
  void vectorsIndependentOfBatch() {
    SentenceEncoder encoder = SentenceEncoder.load();
    try {
      String text = "@user this is fine i guess http";
      float[] alone = encoder.encode(List.of(text))[0];
      float[] among = encoder.encode(List.of("a much longer text that pads every other row of a batch to its own length, on purpose",
          text, "short"))[1];
      assertArrayEquals(alone, among, 0f);
      double norm = 0;
      for (float v : alone) {
        norm += v * v;
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-5);
      assertEquals(384, alone.length);
    } finally {
      encoder.close();
    }
  }
}
