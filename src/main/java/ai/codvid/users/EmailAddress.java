package ai.codvid.users;

import ai.codvid.CodvidException;
import java.net.IDN;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An email as accounts are keyed by it: one account per address however it is written.
 *
 * <p>The canonical form is the address after Unicode NFKC normalisation, with surrounding
 * white space removed, case-folded (full folding: {@code ß} and {@code ss} are the same), the
 * domain through IDNA ({@link IDN}: {@code bücher.de} and {@code xn--bcher-kva.de} are the same,
 * stored in its Unicode form) without a trailing dot. Invisible characters (zero-width joiners
 * and spaces, soft hyphens, direction marks, byte-order marks, variation selectors, Hangul
 * fillers …) and control characters are refused rather than dropped, so no two addresses that
 * look alike can name two accounts.
 *
 * <p>Accounts made by earlier versions were keyed by the address trimmed and lower-cased only
 * (the legacy form). {@link EmailMigration} rewrites them to the canonical form once; those
 * it cannot (the canonical form already has an account, or there is none) are still found by
 * their legacy form, so everybody logs in as they always did.
 */
public record EmailAddress(String canonical, String legacy) {

  public static final String INVALID = "Invalid email address";
  public static final String INVISIBLE = "email must not contain invisible characters";
  private static final Pattern SHAPE = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$");
  private static final int MAX_LENGTH = 254;

  /** For a signup: the canonical form is required; a 400 says what is wrong. */
  public static EmailAddress forSignup(String raw) {
    String canonical = canonicalize(raw);
    return new EmailAddress(canonical, legacyOf(raw));
  }

  /**
   * For a login: the canonical form when the address has one, and always the legacy form, so
   * an account stored by an earlier version under an address that is now refused still logs in.
   */
  public static EmailAddress forLogin(String raw) {
    String legacy = legacyOf(raw);
    try {
      return new EmailAddress(canonicalize(raw), legacy);
    } catch (CodvidException refused) {
      if (SHAPE.matcher(legacy).matches()) {
        return new EmailAddress(null, legacy);
      }
      throw refused;
    }
  }

  /** The form accounts are limited and counted by: the canonical one when there is one. */
  public String account() {
    return canonical != null ? canonical : legacy;
  }

  /** Stored forms that may hold this address's account, the legacy one first. */
  public List<String> storedForms() {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(legacy);
    if (canonical != null) {
      forms.add(canonical);
    }
    return List.copyOf(forms);
  }

  /** The address as earlier versions stored it. */
  public static String legacyOf(String raw) {
    return raw.trim().toLowerCase(Locale.ROOT);
  }

  /** The canonical form, or null when the address has none. */
  public static String canonicalOrNull(String raw) {
    try {
      return canonicalize(raw);
    } catch (CodvidException e) {
      return null;
    }
  }

  /** The canonical form; a 400 ({@link #INVALID} or {@link #INVISIBLE}) when there is none. */
  public static String canonicalize(String raw) {
    String email = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
    requireVisible(email);
    email = Normalizer.normalize(email.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
    requireVisible(email);
    int at = email.lastIndexOf('@');
    if (at <= 0 || at == email.length() - 1) {
      throw CodvidException.badRequest(INVALID);
    }
    String local = email.substring(0, at);
    String domain = email.substring(at + 1).replace('\u3002', '.');
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw CodvidException.badRequest(INVALID);
    }
    if (ascii.isEmpty() || ascii.length() > 253 || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
      throw CodvidException.badRequest(INVALID);
    }
    String canonical = local + "@" + IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    if (!SHAPE.matcher(canonical).matches() || hasWhitespace(canonical)
        || canonical.codePointCount(0, canonical.length()) > MAX_LENGTH) {
      throw CodvidException.badRequest(INVALID);
    }
    return canonical;
  }

  private static boolean hasWhitespace(String s) {
    return s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  private static void requireVisible(String s) {
    if (s.codePoints().anyMatch(EmailAddress::isInvisible)) {
      throw CodvidException.badRequest(INVISIBLE);
    }
  }

  /**
   * Format, control, private-use, unassigned and lone surrogate code points, and the
   * default-ignorable letters and marks that draw nothing (Unicode's Default_Ignorable_Code_Point
   * outside the Cf category, plus the braille blank).
   */
  static boolean isInvisible(int c) {
    switch (Character.getType(c)) {
      case Character.FORMAT, Character.CONTROL, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE:
        return true;
      default:
        break;
    }
    return c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F)
        || c == 0x2800 || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFFA0 || (c >= 0xE0000 && c <= 0xE0FFF);
  }
}
