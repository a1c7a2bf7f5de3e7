package ai.codvid.instagram;

import java.util.List;

/**
 * The built-in texts of the sample source: comments in several languages and tones (English,
 * Portuguese, Spanish, Hindi in Latin script, emoji-only, and empty GIF comments), captions,
 * biographies and name parts. Comments are grouped by the tone a reader would give them, so a
 * sample profile shows a realistic mix of positive, negative and neutral.
 */
final class SampleLibrary {

  private SampleLibrary() {
  }

  static final List<String> POSITIVE = List.of(
      "This is amazing! 😍",
      "Love this so much ❤️",
      "Best content on my feed, keep it up 🙌",
      "Absolutely stunning shot",
      "You never disappoint 🔥🔥",
      "Saved this for later, so useful, thank you!",
      "Wow, the colours in this are incredible",
      "Made my day 😊",
      "Que lindo! Amei demais ❤️",
      "Perfeito, como sempre 👏👏",
      "Muito bom, parabéns pelo trabalho!",
      "Me encanta, qué bonito 😍",
      "Increíble, sigue así 💪",
      "Lo mejor que he visto hoy",
      "Bahut badhiya, maza aa gaya 🔥",
      "Kya baat hai! Superb yaar 👌",
      "Ekdum mast video bhai ❤️",
      "Such a vibe ✨ obsessed",
      "Tried this yesterday and it worked perfectly, thanks!");

  static final List<String> NEGATIVE = List.of(
      "Honestly this is disappointing 😕",
      "Too many ads lately, unfollowing",
      "This didn't work for me at all, waste of time",
      "The audio is terrible in this one",
      "Overrated. Expected much better 👎",
      "Clickbait again? Come on",
      "Que decepção, esperava mais",
      "Horrível, não gostei nada",
      "Qué aburrido, no me gustó 😒",
      "Muy malo, la calidad ha bajado mucho",
      "Bakwas video, time waste 😤",
      "Bilkul pasand nahi aaya",
      "Ordered the product you promoted and it broke in a week 😡");

  static final List<String> NEUTRAL = List.of(
      "Where was this filmed?",
      "What camera do you use?",
      "Is the link in bio still working?",
      "Song name?",
      "First time seeing this account",
      "Posted at 3am again lol",
      "Onde fica esse lugar?",
      "Qual é o nome da música?",
      "¿Dónde compraste eso?",
      "¿A qué hora es el directo?",
      "Ye kaha ka hai bhai?",
      "Part 2 kab aayega?",
      "@friend_tag look at this",
      "Following for updates");

  static final List<String> EMOJI_ONLY = List.of(
      "😍😍😍", "🔥🔥", "❤️", "👏👏👏", "😂😂", "🙌", "💯", "😮", "👎", "😢", "🤔", "✨✨");

  /** A GIF or sticker comment: upstream gives no text at all. */
  static final String GIF = "";

  static final List<String> CAPTIONS = List.of(
      "Golden hour never gets old ☀️",
      "New week, new goals. Who's with me?",
      "Behind the scenes of today's shoot 🎬",
      "Three things I wish I knew a year ago 👇",
      "Sunday reset: coffee, music and a long walk",
      "Finally sharing the recipe you all asked for",
      "Quick tip that changed my routine",
      "Throwback to one of my favourite days",
      "Trying the trend everyone is talking about 😅",
      "Small wins count too",
      "Ask me anything in the comments!",
      "Weekend mood 🌊");

  static final List<String> HASHTAGS = List.of(
      "travel", "photography", "foodie", "fitness", "reels", "instagood", "tips", "lifestyle",
      "behindthescenes", "motivation", "recipe", "sunset", "explore", "creator");

  static final List<String> BIOGRAPHIES = List.of(
      "Creator ✨ | Sharing the little things",
      "Food, travel and everything in between 🌍",
      "Photographer 📷 | Lisbon · São Paulo",
      "Fitness coach 💪 | DM for plans",
      "Making everyday recipes simple 🍝",
      "Tech, gadgets and honest reviews",
      "Música, viagens e café ☕",
      "Vida sana y viajes ✈️");

  static final List<String> NAME_PARTS = List.of(
      "ana", "rahul", "maria", "lucas", "sofia", "arjun", "julia", "diego", "priya", "tom",
      "lea", "marco", "isha", "pedro", "emma", "kabir", "nina", "leo", "camila", "dev");

  static final List<String> NAME_SUFFIXES = List.of(
      "", "_", ".", "_official", ".art", "_travels", "x", ".eats", "_fit", ".photo");

  static final List<String> CREATORS = List.of(
      "sample.creator", "daily.reels.sample", "chef_sample", "travel.sample", "studio_sample");
}
