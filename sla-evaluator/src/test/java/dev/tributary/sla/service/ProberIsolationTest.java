package dev.tributary.sla.service;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.tributary.sla.PlatformStub;
import dev.tributary.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing the evaluation does can stop the prober: with every Vert.x event loop blocked (so the
 * reactive pool, the REST clients and every evaluation are stuck) and an SLA metrics refresh
 * hanging on them, the prober's own timer keeps probing and storing a round every interval.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
@TestProfile(ProberIsolationTest.TimerEverySecond.class)
class ProberIsolationTest {

  /** The prober's timer on, a round every second. */
  public static class TimerEverySecond implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tributary.sla.probe.timer", "true", "tributary.sla.probe.interval", "1s");
    }
  }

  static final Duration WAIT = Duration.ofSeconds(60);

  @Inject Vertx vertx;
  @Inject AgroalDataSource dataSource;
  @Inject SlaMetrics metrics;

  @Test
  void probesAreStoredWhileTheEventLoopsAndTheEvaluationAreStuck() throws Exception {
    // The timer's rounds have registered the probe source and stored results.
    await().atMost(WAIT).until(() -> storedResults(), greaterThanOrEqualTo(6L));

    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(countEventLoops());
    for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
      loop.execute(
          () -> {
            blocked.countDown();
            try {
              release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    try {
      blocked.await(30, TimeUnit.SECONDS);
      metrics.refresh().subscribe().with(ok -> {}, failure -> {}); // stuck on the event loops
      long before = storedResults();
      // Three more rounds of the six endpoints, while nothing else in the process can move.
      await().atMost(WAIT).until(() -> storedResults(), greaterThanOrEqualTo(before + 18));
    } finally {
      release.countDown();
    }
  }

  private int countEventLoops() {
    int loops = 0;
    for (EventExecutor ignored : vertx.nettyEventLoopGroup()) {
      loops++;
    }
    return loops;
  }

  private long storedResults() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("select count(*) from sla.probe_results")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
