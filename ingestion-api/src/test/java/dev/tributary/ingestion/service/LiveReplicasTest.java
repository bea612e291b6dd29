package dev.tributary.ingestion.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.config.TestIngestionConfig.TestRateLimit;
import dev.tributary.ingestion.repository.ReplicaRepository;
import dev.tributary.ingestion.repository.ReplicaRepository.Replica;
import dev.tributary.ingestion.service.ThroughputLimiter.Decision;
import dev.tributary.ingestion.service.ThroughputLimiterTest.NanoClock;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.SettableClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several replicas against one PostgreSQL: each test starts its own {@link LiveReplicas} (each with
 * its own random id, as separate processes have) on the service's datasource and drives their
 * heartbeats and a shared test clock. The clock is a day ahead of the running service's, so the
 * service's own row is stale to these replicas and only theirs count.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LiveReplicasTest {

  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @Inject ReplicaRepository repository;
  @Inject LiveReplicas running;

  private final SettableClock clock = new SettableClock();
  private final List<LiveReplicas> replicas = new ArrayList<>();

  @BeforeEach
  void aDayAhead() {
    clock.set(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS));
  }

  @AfterEach
  void stopTheReplicas() {
    for (LiveReplicas replica : replicas) {
      replica.stop().await().atMost(DEADLINE);
    }
    // The running service counted this test's rows (from its point of view, from the future):
    // recount now, so the next tests see it alone again.
    assertEquals(1, (int) running.beat().await().atMost(DEADLINE));
  }

  private LiveReplicas replica() {
    LiveReplicas replica = new LiveReplicas(repository, clock, TTL);
    replicas.add(replica);
    return replica;
  }

  private static int beat(LiveReplicas replica) {
    return replica.beat().await().atMost(DEADLINE);
  }

  private void advance(Duration duration) {
    clock.set(clock.instant().plus(duration));
  }

  private List<String> rows() {
    return repository.all().await().atMost(DEADLINE).stream().map(Replica::id).toList();
  }

  @Test
  void twoReplicasCountEachOtherAndEachEnforcesHalfTheLimit() {
    LiveReplicas a = replica();
    LiveReplicas b = replica();
    ThroughputLimiter limiterOfA =
        new ThroughputLimiter(new TestRateLimit(1000, 2000, 100), a::count, new NanoClock());
    assertEquals(1, a.count(), "a replica counts itself before its first heartbeat");
    assertEquals(1000, limiterOfA.tryAcquire(UUID.randomUUID(), null, null, 1).limit());

    assertEquals(1, beat(a), "alone");
    assertEquals(2, beat(b), "b sees a");
    assertEquals(2, beat(a), "a sees b");
    assertEquals(2, b.count());
    assertTrue(rows().containsAll(List.of(a.id(), b.id())));
    assertFalse(a.id().equals(b.id()));

    Decision share = limiterOfA.tryAcquire(UUID.randomUUID(), null, null, 1);
    assertEquals(500, share.limit(), "1000/s over 2 live replicas");
    assertEquals(999, share.remaining(), "the 1000-event half of the burst, less this event");
  }

  @Test
  void aReplicaWhoseHeartbeatStopsDropsOutAfterTheTtl() {
    LiveReplicas a = replica();
    LiveReplicas b = replica();
    beat(a);
    assertEquals(2, beat(b));

    // b stops beating without stopping (SIGKILL, a lost node): counted for the TTL, then not.
    advance(Duration.ofSeconds(5));
    assertEquals(2, beat(a), "5 s since b's heartbeat");
    advance(Duration.ofSeconds(10));
    assertEquals(2, beat(a), "exactly the TTL since b's heartbeat");
    advance(Duration.ofSeconds(1));
    await().atMost(DEADLINE).until(() -> beat(a) == 1);
    assertEquals(1, a.count());
    assertFalse(rows().contains(b.id()), "the stale row was deleted by the replica that saw it");
    assertTrue(rows().contains(a.id()));

    assertEquals(2, beat(b), "b comes back and sees a");
    assertEquals(2, beat(a));
  }

  @Test
  void aStoppingReplicaDeletesItsRowAndTheOthersTakeItsShareAtOnce() {
    LiveReplicas a = replica();
    LiveReplicas b = replica();
    beat(a);
    assertEquals(2, beat(b));
    b.stop().await().atMost(DEADLINE);
    assertFalse(rows().contains(b.id()));
    assertEquals(1, beat(a), "no TTL to wait for");
    beat(b);
    assertFalse(rows().contains(b.id()), "a stopped replica beats no more");
  }

  @Test
  void twoReplicasTogetherAdmitTheWorkspacesFullLimit() {
    LiveReplicas a = replica();
    LiveReplicas b = replica();
    beat(a);
    beat(b);
    assertEquals(2, beat(a));
    NanoClock nanos = new NanoClock();
    TestRateLimit defaults = new TestRateLimit(1000, 2000, 100);
    ThroughputLimiter limiterOfA = new ThroughputLimiter(defaults, a::count, nanos);
    ThroughputLimiter limiterOfB = new ThroughputLimiter(defaults, b::count, nanos);
    UUID workspace = UUID.randomUUID();

    // The workspace's own limit: 300 events/s, burst 600; each replica holds half of both.
    assertEquals(
        600,
        admitted(limiterOfA, workspace) + admitted(limiterOfB, workspace),
        "the whole burst at once");
    assertEquals(0, admitted(limiterOfA, workspace) + admitted(limiterOfB, workspace));
    nanos.now = 1_000_000_000L;
    assertEquals(
        300,
        admitted(limiterOfA, workspace) + admitted(limiterOfB, workspace),
        "the whole rate a second later");
  }

  /** Single events into one replica's bucket until it refuses; how many it let in. */
  private static int admitted(ThroughputLimiter limiter, UUID workspace) {
    int admitted = 0;
    while (limiter.tryAcquire(workspace, 300, 600, 1).allowed()) {
      admitted++;
      if (admitted > 10_000) {
        throw new AssertionError("never refused");
      }
    }
    return admitted;
  }

  @Test
  void aFailingDatabaseKeepsTheLastCount() {
    ReplicaRepository down =
        new ReplicaRepository(null) {
          @Override
          public Uni<Integer> beat(String id, Instant now, Instant startedAt, Instant liveSince) {
            return Uni.createFrom().failure(new IllegalStateException("database down"));
          }
        };
    LiveReplicas replica = new LiveReplicas(down, clock, TTL);
    assertEquals(1, beat(replica), "the failure is logged, never thrown");
    assertEquals(1, replica.count());
  }

  private Instant heartbeatOfRunning() {
    return repository.all().await().atMost(DEADLINE).stream()
        .filter(r -> r.id().equals(running.id()))
        .map(Replica::heartbeatAt)
        .findFirst()
        .orElse(Instant.MIN);
  }

  @Test
  void theRunningServiceBeatsOnItsTimerAndReportsTheCount() {
    await().atMost(DEADLINE).until(() -> heartbeatOfRunning().isAfter(Instant.MIN));
    Instant seen = heartbeatOfRunning();
    await().atMost(DEADLINE).until(() -> heartbeatOfRunning().isAfter(seen));
    assertTrue(running.count() >= 1);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher gauge =
        Pattern.compile("(?m)^tributary_ingestion_live_replicas(\\{[^}]*})?\\s+(\\S+)$")
            .matcher(metrics);
    assertTrue(gauge.find(), "the gauge is exported");
    assertTrue(Double.parseDouble(gauge.group(2)) >= 1, gauge.group());
  }
}
