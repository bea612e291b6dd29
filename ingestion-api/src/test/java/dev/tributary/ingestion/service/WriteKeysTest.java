package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unit tests of write key generation, hashing and hints. */
class WriteKeysTest {

  @Test
  void keysAre32UrlSafeCharactersAndUnique() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String key = WriteKeys.newKey();
      assertEquals(32, key.length());
      assertTrue(key.matches("[A-Za-z0-9_-]{32}"), key);
      keys.add(key);
    }
    assertEquals(1000, keys.size());
  }

  @Test
  void theHashIsSha256AndStable() {
    byte[] hash = WriteKeys.hash("abc");
    assertEquals(32, hash.length);
    assertArrayEquals(WriteKeys.hash("abc"), hash);
    // SHA-256("abc") from FIPS 180-2.
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        java.util.HexFormat.of().formatHex(hash));
    assertFalse(java.util.Arrays.equals(hash, WriteKeys.hash("abd")));
  }

  @Test
  void theHintShowsOnlyTheFirstFourCharacters() {
    assertEquals("abcd…", WriteKeys.hint("abcdefghijklmnop"));
    assertEquals("ab…", WriteKeys.hint("ab"));
  }
}
