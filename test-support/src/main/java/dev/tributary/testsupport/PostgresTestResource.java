package dev.tributary.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

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
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

  @Override
  public Map<String, String> start() {
    Map<String, String> env =
        ProjectScripts.run(SCRIPT_TIMEOUT, "postgres.sh", "env", TEST_DATABASE);
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
}
