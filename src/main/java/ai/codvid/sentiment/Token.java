package ai.codvid.sentiment;

/** One token of a comment and what kind of thing it is. */
record Token(String text, Kind kind) {

  enum Kind { WORD, EMOJI, EMOTICON, MENTION, HASHTAG, URL, NUMBER, PUNCT }

  boolean is(Kind k) {
    return kind == k;
  }
}
