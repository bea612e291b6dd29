package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.support.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The keyed hash of suppressed subjects. Plain JUnit. */
class SubjectHasherTest {

  private static SubjectHasher keyed(String key) {
    return new SubjectHasher(key.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theHashDependsOnTheKeyTheTypeAndTheId() {
    byte[] alice = keyed("k1").hash(SubjectType.USER_ID, "alice");
    assertEquals(32, alice.length, "HMAC-SHA256");
    assertArrayEquals(alice, keyed("k1").hash(SubjectType.USER_ID, "alice"), "stable");
    assertFalse(Arrays.equals(alice, keyed("k2").hash(SubjectType.USER_ID, "alice")), "keyed");
    assertFalse(Arrays.equals(alice, keyed("k1").hash(SubjectType.ANONYMOUS_ID, "alice")), "typed");
    assertFalse(Arrays.equals(alice, keyed("k1").hash(SubjectType.USER_ID, "alice2")));
  }

  @Test
  void withoutAKeyTheRegulationsAreLocked() {
    SubjectHasher none = new SubjectHasher((byte[]) null);
    assertFalse(none.configured());
    ApiException refused =
        assertThrows(ApiException.class, () -> none.hash(SubjectType.USER_ID, "alice"));
    assertEquals(503, refused.status());
    assertEquals("regulations_not_configured", refused.code());
  }
}
