package dev.tributary.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives a Quarkus test a real PostgreSQL database.
 *
 * <p>It runs {@code scripts/postgres.sh env tributary_test}, the same script the README's run
 * command uses, so tests honour {@code QUARKUS_DATASOURCE_*} and {@code PG*} settings, reuse a
 * local server, or start the project's private throw-away cluster. Each service keeps its tables in
 * its own schema of that database and its test profile cleans only that schema.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

  static final String TEST_DATABASE = "tributary_test";
  private static final long SCRIPT_TIMEOUT_SECONDS = 120;

  @Override
  public Map<String, String> start() {
    Map<String, String> env = runScript();
    Map<String, String> config = new HashMap<>();
    put(config, "quarkus.datasource.username", env.get("QUARKUS_DATASOURCE_USERNAME"));
    put(config, "quarkus.datasource.password", env.get("QUARKUS_DATASOURCE_PASSWORD"));
    put(config, "quarkus.datasource.jdbc.url", env.get("QUARKUS_DATASOURCE_JDBC_URL"));
    put(config, "quarkus.datasource.reactive.url", env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
    return config;
  }

  @Override
  public void stop() {
    // The cluster outlives the test JVM on purpose: the next module (or run) reuses it.
  }

  private static void put(Map<String, String> config, String key, String value) {
    if (value != null && !value.isEmpty()) {
      config.put(key, value);
    }
  }

  private static Map<String, String> runScript() {
    Path script = findScript();
    try {
      Process process =
          new ProcessBuilder("bash", script.toString(), "env", TEST_DATABASE)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            script + " did not finish in " + SCRIPT_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            script + " failed with exit code " + process.exitValue() + "; see its messages above");
      }
      return parseExports(output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  /** Parses the script's {@code export KEY='value'} lines. */
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

  private static Path findScript() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      Path script = candidate.resolve("scripts/postgres.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException("scripts/postgres.sh not found above " + dir);
  }
}
