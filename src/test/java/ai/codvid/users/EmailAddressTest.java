package ai.codvid.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.codvid.CodvidException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Canonical email forms")
class EmailAddressTest {

  @Test
  @DisplayName("spellings of one address give one canonical form, and the canonical form is its own canonical form")
  void canonicalForms() {
    Map<String, String> expected = Map.of(
        " Bob@Example.COM. ", "bob@example.com",
        "ｂｏｂ@ｅｘａｍｐｌｅ．ｃｏｍ", "bob@example.com",
        "bob@example\u3002com", "bob@example.com",
        "JOSE\u0301@example.com", "jos\u00E9@example.com",
        "ANNA@XN--BCHER-KVA.DE.", "anna@b\u00FCcher.de",
        "anna@BU\u0308CHER.de", "anna@b\u00FCcher.de",
        "STRA\u00DFE@example.com", "strasse@example.com",
        "user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk");
    expected.forEach((raw, canonical) -> {
      assertEquals(canonical, EmailAddress.canonicalize(raw), raw);
      assertEquals(canonical, EmailAddress.canonicalize(canonical), "idempotent: " + canonical);
    });
  }

  @Test
  @DisplayName("invisible characters and malformed addresses have no canonical form; a login still looks up the legacy form")
  void refused() {
    for (String invisible : List.of("b\u200Dob@example.com", "bob@exa\u00ADmple.com", "\u202Ebob@example.com", "bo\uFE0Fb@example.com")) {
      CodvidException e = assertThrows(CodvidException.class, () -> EmailAddress.canonicalize(invisible));
      assertEquals(EmailAddress.INVISIBLE, e.getMessage());
    }
    for (String malformed : List.of("bob", "bob@", "@example.com", "bob@example", "bob smith@example.com", "bob@exa_mple.com",
        "bob@-example.com", "bob@example..com", "a@b@example.com")) {
      assertNull(EmailAddress.canonicalOrNull(malformed), malformed);
    }
    EmailAddress legacy = EmailAddress.forLogin("Fr\u200Dank@Example.com");
    assertNull(legacy.canonical());
    assertEquals(List.of("fr\u200Dank@example.com"), legacy.storedForms());
    assertEquals(List.of("bob@example.com.", "bob@example.com"), EmailAddress.forLogin("Bob@Example.com.").storedForms());
  }
}
