package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tributary.ingestion.Accounts;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.config.TestIngestionConfig;
import dev.tributary.ingestion.repository.WriteKeyRepository;
import dev.tributary.ingestion.repository.WriteKeyRepository.SourceIdentity;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The write-key cache's look-ahead: keys in use are looked up again, together, before their entries
 * expire, so a change made elsewhere (another replica's revocation) arrives without any request
 * waiting for the database.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SourceAuthenticatorTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject WriteKeyRepository repository;
  @Inject Pool pool;

  /** A cache of its own whose entries all fall within the look-ahead at once (2 s < 3 s). */
  private SourceAuthenticator authenticator() {
    return new SourceAuthenticator(
        repository, new TestIngestionConfig(null, null, null, null, Duration.ofSeconds(2)));
  }

  @Test
  void aKeyInUseIsLookedUpAgainAheadOfItsExpiryAndARevocationElsewhereArrives() {
    SourceAuthenticator authenticator = authenticator();
    TestSource source = Accounts.newSource();
    SourceIdentity first = authenticator.authenticate(source.writeKey()).join();
    assertNotNull(first);
    assertEquals(UUID.fromString(source.sourceId()), first.sourceId());

    // Revoked behind this cache's back, as another replica would.
    revoke(source.sourceId());
    assertNotNull(authenticator.known(source.writeKey()), "still the cached answer");

    authenticator.refreshAhead().await().atMost(WAIT);
    assertNull(authenticator.known(source.writeKey()), "the look-ahead saw the revocation");
    assertNull(authenticator.authenticate(source.writeKey()).join());
  }

  @Test
  void anUnknownKeyStaysUnknownAndAClearedEntryIsNotBroughtBack() {
    SourceAuthenticator authenticator = authenticator();
    assertNull(authenticator.authenticate("no-such-key").join());
    authenticator.refreshAhead().await().atMost(WAIT);
    assertNull(authenticator.authenticate("no-such-key").join());

    TestSource source = Accounts.newSource();
    assertNotNull(authenticator.authenticate(source.writeKey()).join());
    authenticator.invalidateAll();
    authenticator.refreshAhead().await().atMost(WAIT);
    assertNull(authenticator.known(source.writeKey()), "nothing cached until a request asks");
  }

  private void revoke(String sourceId) {
    pool.preparedQuery("update ingestion.sources set revoked_at = now() where id = $1")
        .execute(Tuple.of(UUID.fromString(sourceId)))
        .await()
        .atMost(WAIT);
  }
}
