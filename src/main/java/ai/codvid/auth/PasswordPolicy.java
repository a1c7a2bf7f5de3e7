package ai.codvid.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B, 5.1.1.2): at least {@value #MIN_LENGTH}
 * characters (Unicode code points, so four emoji are four characters), not one of the commonly
 * used passwords of the list shipped in the jar, and not the account's own email address. No
 * composition rules (digits, symbols) and no expiry, as the guideline advises.
 *
 * <p>The list, {@value #LIST}, holds the 17,950 entries of 8 or more characters of the 49,233
 * most common passwords of the xato.net ten-million-password corpus, as packaged by
 * {@code @zxcvbn-ts/language-common} 4.1.3 (MIT); see {@code passwords/NOTICE.md}. A password
 * is compared after NFKC normalisation and lower-casing, so {@code Sunshine1} and
 * {@code ｐａｓｓｗｏｒｄ} are refused like {@code sunshine1} and {@code password}.
 *
 * <p>Only new passwords are checked: accounts made under earlier rules still log in.
 */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 8;
  public static final String LIST = "passwords/common-passwords.txt";

  /** What is wrong with a password, or {@code OK}. */
  public enum Verdict { OK, TOO_SHORT, TOO_COMMON, IS_EMAIL }

  private final Set<String> common;

  private PasswordPolicy(Set<String> common) {
    this.common = common;
  }

  /** Reads the shipped list (blocking: call it on a worker). */
  public static PasswordPolicy load() {
    Set<String> common = new HashSet<>(32_768);
    try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST)) {
      if (in == null) {
        throw new IllegalStateException("The common-password list " + LIST + " is missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          common.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PasswordPolicy(common);
  }

  /** The number of passwords in the list. */
  public int size() {
    return common.size();
  }

  public Verdict check(String password, String email) {
    if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
      return Verdict.TOO_SHORT;
    }
    String folded = Normalizer.normalize(password, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    if (common.contains(folded)) {
      return Verdict.TOO_COMMON;
    }
    if (email != null && folded.strip().equals(email)) {
      return Verdict.IS_EMAIL;
    }
    return Verdict.OK;
  }
}
