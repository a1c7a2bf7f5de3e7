package ai.codvid.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Expected ids were produced by Hugging Face {@code tokenizers} 0.23 from the same tokenizer.json. */
class WordPieceTokenizerTest {

  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = WordPieceTokenizer.fromResource(SentenceEncoder.TOKENIZER_RESOURCE);
  }

  @Test
  @DisplayName("Emoji become [UNK] and words split into WordPiece ids exactly as Hugging Face tokenizers does")
  void englishWithEmoji() {
    assertArrayEquals(new int[] {101, 23032, 1024, 2293, 2023, 2061, 2172, 100, 102}, tokenizer.encode("query: Love this so much 😍", 128));
  }

  @Test
  @DisplayName("Accents are stripped, dotted capitals lower-cased and punctuation split off")
  void accentsAndPunctuation() {
    assertArrayEquals(new int[] {101, 23032, 1024, 10861, 8273, 18752, 3527, 1529, 9960, 2522, 2243, 19739, 12638, 102},
        tokenizer.encode("query: Qué aburrido… İstanbul çok güzel", 128));
    assertArrayEquals(new int[] {101, 23032, 1024, 6300, 10556, 3270, 10556, 15030, 1038, 10932, 1029, 1030, 5310, 8299, 102},
        tokenizer.encode("query: ye kaha ka hai bhai? @user http", 128));
  }

  @Test
  @DisplayName("CJK ideographs stand alone, ligatures decompose, format characters vanish and odd spaces split")
  void unicodeEdges() {
    assertArrayEquals(new int[] {101, 23032, 1024, 1746, 1861, 15743, 7668, 1984, 2638, 102}, tokenizer.encode("query: 中文 naïve café ﬁne", 128));
    assertArrayEquals(new int[] {101, 23032, 1024, 21628, 1998, 6290, 2080, 9381, 102},
        tokenizer.encode("query: tab\tand\u200dzero\u00a0width", 128));
  }

  @Test
  @DisplayName("A word over 100 characters is one [UNK]; long texts are cut to the token limit and still end with [SEP]")
  void limits() {
    assertArrayEquals(new int[] {101, 23032, 1024, 100, 102}, tokenizer.encode("query: " + "x".repeat(120), 128));
    int[] ids = tokenizer.encode("word ".repeat(500), 16);
    assertEquals(16, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[15]);
  }
}
