package dev.tributary.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's own scripts ({@code scripts/*.sh}) from a test JVM, so that a test gets its
 * servers and tools exactly as the README's commands do. The scripts print {@code export
 * KEY='value'} lines on stdout and their messages on stderr, which goes to the build's output.
 */
public final class ProjectScripts {

  private ProjectScripts() {}

  /** The repository root: the nearest directory above the working directory with scripts/. */
  public static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("scripts/postgres.sh"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("the project's scripts/ not found above " + dir);
  }

  /**
   * Runs {@code scripts/<script> args...} and answers the variables it exported.
   *
   * @throws IllegalStateException when it fails or takes longer than {@code timeout}
   */
  public static Map<String, String> run(Duration timeout, String script, String... args) {
    Path path = root().resolve("scripts").resolve(script);
    List<String> command = new ArrayList<>(List.of("bash", path.toString()));
    command.addAll(List.of(args));
    String what = String.join(" ", command.subList(1, command.size()));
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " did not finish in " + timeout.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            what + " failed with exit code " + process.exitValue() + "; see its messages above");
      }
      return parseExports(output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    }
  }

  /** Parses {@code export KEY='value'} lines; other lines are ignored. */
  static Map<String, String> parseExports(String output) {
    Map<String, String> env = new HashMap<>();
    for (String line : output.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.startsWith("export ") || !trimmed.contains("=")) {
        continue;
      }
      String assignment = trimmed.substring("export ".length());
      int eq = assignment.indexOf('=');
      String value = assignment.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(assignment.substring(0, eq), value);
    }
    return env;
  }
}
