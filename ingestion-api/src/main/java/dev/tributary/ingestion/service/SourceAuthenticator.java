package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.repository.WriteKeyRepository;
import dev.tributary.ingestion.repository.WriteKeyRepository.SourceIdentity;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves write keys to sources. Lookups are cached for {@code
 * tributary.ingestion.write-key-cache-ttl} and concurrent lookups of one key share one query; a
 * revocation on this replica clears the cache at once, other replicas see it within the TTL.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class SourceAuthenticator {

  private static final int MAX_CACHED_KEYS = 100_000;

  /**
   * One key's shared lookup: its answer, already reduced to an active source or null, once the
   * database has given it.
   */
  private record Entry(long expiresAtNanos, CompletableFuture<SourceIdentity> active) {}

  private final WriteKeyRepository repository;
  private final long ttlNanos;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public SourceAuthenticator(WriteKeyRepository repository, IngestionConfig config) {
    this.repository = repository;
    this.ttlNanos = config.writeKeyCacheTtl().toNanos();
  }

  /**
   * The source of an active (not revoked) key, or null for an unknown or revoked key. A cached
   * answer is an already completed future: the Tracking API's path goes on without a hop.
   */
  public CompletableFuture<SourceIdentity> authenticate(String writeKey) {
    // Keyed by the key itself: a cache hit costs no hashing. The map lives only in this process's
    // memory, like the request that carried the key.
    long now = System.nanoTime();
    Entry entry = cache.get(writeKey);
    if (entry != null && entry.expiresAtNanos() - now >= 0) {
      return entry.active();
    }
    if (cache.size() >= MAX_CACHED_KEYS) {
      cache.clear();
    }
    Entry fresh = new Entry(now + ttlNanos, new CompletableFuture<>());
    cache.put(writeKey, fresh);
    repository
        .findByHash(WriteKeys.hash(writeKey))
        .subscribe()
        .with(
            identity -> fresh.active().complete(active(identity)),
            failure -> {
              // Not cached: the next request asks the database again.
              cache.remove(writeKey, fresh);
              fresh.active().completeExceptionally(failure);
            });
    return fresh.active();
  }

  /**
   * The source of a key whose lookup is cached and answered, without waiting: null when the key is
   * not cached, still being looked up, expired, unknown or revoked. For checks that may skip work
   * but never decide alone that a key is valid.
   */
  public SourceIdentity known(String writeKey) {
    Entry entry = cache.get(writeKey);
    if (entry == null
        || entry.expiresAtNanos() - System.nanoTime() < 0
        || !entry.active().isDone()
        || entry.active().isCompletedExceptionally()) {
      return null;
    }
    return entry.active().join();
  }

  private static SourceIdentity active(SourceIdentity identity) {
    return identity == null || identity.revoked() ? null : identity;
  }

  /** Forgets every cached key, e.g. after a revocation or a change of workspace limits. */
  public void invalidateAll() {
    cache.clear();
  }
}
