package dev.tributary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for secret values in what a service under test showed the world: the log file its test
 * profile writes ({@code %test.quarkus.log.file.path=target/test-logs/service.log}, appended to by
 * every test class of the module's run, never rotated on boot), its metrics and the error bodies a
 * test collected. A finding names the secret by its label and the place, never by its value.
 */
public final class SecretScan {

  /** Where the services' test profiles write their log file, relative to the module. */
  public static final Path LOG_DIRECTORY = Path.of("target", "test-logs");

  private SecretScan() {}

  /** Everything the test JVMs of this module logged to {@link #LOG_DIRECTORY} (all files). */
  public static String testLog() {
    if (!Files.isDirectory(LOG_DIRECTORY)) {
      throw new AssertionError(
          "no log directory " + LOG_DIRECTORY.toAbsolutePath() + ": is the file log enabled?");
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(LOG_DIRECTORY)) {
      for (Path file : files.sorted().toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }

  /**
   * Fails naming each (secret label, place label) pair where a secret value occurs in a text.
   * Secrets shorter than 8 characters are refused: they would match by chance.
   */
  public static void assertAbsent(Map<String, String> secrets, Map<String, String> places) {
    List<String> findings = new ArrayList<>();
    secrets.forEach(
        (secretLabel, secret) -> {
          if (secret == null || secret.length() < 8) {
            throw new IllegalArgumentException(secretLabel + " is too short to search for");
          }
          places.forEach(
              (placeLabel, text) -> {
                if (text != null && text.contains(secret)) {
                  findings.add(secretLabel + " appears in " + placeLabel);
                }
              });
        });
    if (!findings.isEmpty()) {
      throw new AssertionError(String.join("\n", findings));
    }
  }
}
