package ai.codvid.sentiment;

import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.PTBTokenizer;
import edu.stanford.nlp.process.TokenizerFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CoreNLP's PTB tokenizer (which keeps emoticons, URLs, @mentions, #hashtags and emoji whole)
 * with each token sorted into a {@link Token.Kind}. Thread-safe.
 */
final class CommentTokenizer {

  private static final String OPTIONS = "invertible=false,ptb3Escaping=false,normalizeParentheses=false,"
      + "normalizeOtherBrackets=false,untokenizable=noneKeep,tokenizeNLs=false,splitHyphenated=false,"
      + "splitAssimilations=false,normalizeFractions=false,quotes=ascii,strictTreebank3=false";

  private final TokenizerFactory<CoreLabel> factory = PTBTokenizer.coreLabelFactory(OPTIONS);
  private final Set<String> emoticons;

  CommentTokenizer(Set<String> emoticons) {
    this.emoticons = emoticons;
  }

  List<Token> tokenize(String cleanText) {
    if (cleanText.isEmpty()) {
      return List.of();
    }
    String text = cleanText.replace("<3", " \u2764 ");
    List<CoreLabel> labels = factory.getTokenizer(new StringReader(text)).tokenize();
    List<Token> tokens = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      String word = labels.get(i).word();
      if (word == null || word.isEmpty()) {
        continue;
      }
      if (i + 1 < labels.size() && labels.get(i).endPosition() == labels.get(i + 1).beginPosition()
          && emoticons.contains(word + labels.get(i + 1).word())) {
        word = word + labels.get(++i).word();
      }
      splitEmojiRuns(word, tokens);
    }
    return tokens;
  }

  /** PTB keeps "wow🔥" together; emoji and text are separated so each can be read. */
  private void splitEmojiRuns(String word, List<Token> out) {
    if (word.codePoints().allMatch(CommentTokenizer::isEmojiPart) || !word.codePoints().anyMatch(CommentTokenizer::isEmojiPart)) {
      out.add(new Token(word, kindOf(word)));
      return;
    }
    StringBuilder run = new StringBuilder();
    boolean emojiRun = false;
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      boolean emoji = isEmojiPart(cp);
      if (run.length() > 0 && emoji != emojiRun) {
        out.add(new Token(run.toString(), kindOf(run.toString())));
        run.setLength(0);
      }
      emojiRun = emoji;
      run.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    if (run.length() > 0) {
      out.add(new Token(run.toString(), kindOf(run.toString())));
    }
  }

  private Token.Kind kindOf(String w) {
    if (w.codePoints().allMatch(CommentTokenizer::isEmojiPart)) {
      return Token.Kind.EMOJI;
    }
    char first = w.charAt(0);
    if (w.length() > 1 && first == '@') {
      return Token.Kind.MENTION;
    }
    if (w.length() > 1 && first == '#') {
      return Token.Kind.HASHTAG;
    }
    String lower = w.toLowerCase();
    if (lower.startsWith("http") || lower.startsWith("www.") || lower.contains("://")) {
      return Token.Kind.URL;
    }
    boolean letter = w.codePoints().anyMatch(Character::isLetter);
    if (emoticons.contains(w) && w.codePoints().anyMatch(c -> !Character.isLetterOrDigit(c))) {
      return Token.Kind.EMOTICON;
    }
    if (letter) {
      return Token.Kind.WORD;
    }
    if (w.codePoints().anyMatch(Character::isDigit)) {
      return Token.Kind.NUMBER;
    }
    return Token.Kind.PUNCT;
  }

  /** Pictographs, dingbats, regional indicators, skin tones, ZWJ and variation selectors. */
  static boolean isEmojiPart(int cp) {
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF)
        || (cp >= 0x2190 && cp <= 0x21FF) || (cp >= 0x2300 && cp <= 0x23FF) || cp == 0x200D || cp == 0xFE0F
        || cp == 0x20E3 || cp == 0x2122 || cp == 0x2139 || cp == 0x3030 || cp == 0x303D || cp == 0x3297
        || cp == 0x3299 || cp == 0x00A9 || cp == 0x00AE || cp == 0x2764 || (cp >= 0xE0020 && cp <= 0xE007F);
  }
}
