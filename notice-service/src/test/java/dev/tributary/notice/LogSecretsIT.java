package dev.tributary.notice;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.testsupport.SecretScan;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole test run's log holds no secret: failsafe runs this after every surefire test class of
 * the module, so it reads the log of all of them ({@link SecretScan}; the per-class scans, {@code
 * SecretsStayHiddenTest}, see only the classes before them). It checks the secrets that are the
 * same in every test class: the test profile's tokens and the SMS provider's auth token. Skipped
 * when no test logged (a run of unit tests only).
 */
class LogSecretsIT {

  @Test
  void theWholeRunsLogHoldsNoSecret() {
    assumeTrue(Files.isDirectory(SecretScan.LOG_DIRECTORY), "no Quarkus test ran");
    String log = SecretScan.testLog();
    assertTrue(log.contains("Installed features"), "the log holds the service's own lines");
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the admin token", "test-admin-token");
    secrets.put("the service token", "test-service-token");
    secrets.put("the SMS auth token", SmsApiStub.AUTH_TOKEN);
    SecretScan.assertAbsent(secrets, Map.of("the log of the whole test run", log));
  }
}
