package dev.tributary.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Unit tests of the constant-time token comparison. */
class TokenAuthFilterTest {

  @Test
  void theConfiguredTokenMatches() {
    assertTrue(TokenAuthFilter.matches("s3cret", Optional.of("s3cret")));
  }

  @Test
  void anyOtherTokenDoesNot() {
    assertFalse(TokenAuthFilter.matches("s3cre", Optional.of("s3cret")));
    assertFalse(TokenAuthFilter.matches("s3cret ", Optional.of("s3cret")));
    assertFalse(TokenAuthFilter.matches("S3CRET", Optional.of("s3cret")));
    assertFalse(TokenAuthFilter.matches("", Optional.of("s3cret")));
  }

  @Test
  void anUnsetOrEmptyTokenMatchesNothing() {
    assertFalse(TokenAuthFilter.matches("anything", Optional.empty()));
    assertFalse(TokenAuthFilter.matches("", Optional.empty()));
    assertFalse(TokenAuthFilter.matches("", Optional.of("")));
  }

  @Test
  void nonAsciiTokensCompareByteForByte() {
    assertTrue(TokenAuthFilter.matches("clé-ü", Optional.of("clé-ü")));
    assertFalse(TokenAuthFilter.matches("cle-u", Optional.of("clé-ü")));
  }
}
