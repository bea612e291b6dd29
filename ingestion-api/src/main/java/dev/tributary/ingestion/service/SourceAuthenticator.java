package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.repository.WriteKeyRepository;
import dev.tributary.ingestion.repository.WriteKeyRepository.SourceIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves write keys to sources. Lookups are cached for {@code
 * tributary.ingestion.write-key-cache-ttl} and concurrent lookups of one key share one query; a
 * revocation on this replica clears the cache at once, other replicas see it within the TTL.
 */
@ApplicationScoped
public class SourceAuthenticator {

  private static final int MAX_CACHED_KEYS = 100_000;

  /** One key's shared lookup; {@code resolved} is its answer once the database has given it. */
  private static final class Entry {
    final long expiresAtNanos;
    Uni<SourceIdentity> lookup;
    volatile SourceIdentity resolved;

    Entry(long expiresAtNanos) {
      this.expiresAtNanos = expiresAtNanos;
    }
  }

  private final WriteKeyRepository repository;
  private final long ttlNanos;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public SourceAuthenticator(WriteKeyRepository repository, IngestionConfig config) {
    this.repository = repository;
    this.ttlNanos = config.writeKeyCacheTtl().toNanos();
  }

  /** The source of an active (not revoked) key, or null for an unknown or revoked key. */
  public Uni<SourceIdentity> authenticate(String writeKey) {
    // Keyed by the key itself: a cache hit costs no hashing. The map lives only in this process's
    // memory, like the request that carried the key.
    long now = System.nanoTime();
    Entry entry = cache.get(writeKey);
    if (entry == null || entry.expiresAtNanos - now < 0) {
      if (cache.size() >= MAX_CACHED_KEYS) {
        cache.clear();
      }
      Entry fresh = new Entry(now + ttlNanos);
      fresh.lookup =
          repository
              .findByHash(WriteKeys.hash(writeKey))
              .invoke(identity -> fresh.resolved = identity)
              .memoize()
              .indefinitely();
      cache.put(writeKey, fresh);
      entry = fresh;
    }
    Entry used = entry;
    return used.lookup
        .onFailure()
        .invoke(() -> cache.remove(writeKey, used))
        .map(SourceAuthenticator::active);
  }

  /**
   * The source of a key whose lookup is cached and answered, without waiting: null when the key is
   * not cached, still being looked up, expired, unknown or revoked. For checks that may skip work
   * but never decide alone that a key is valid.
   */
  public SourceIdentity known(String writeKey) {
    Entry entry = cache.get(writeKey);
    if (entry == null || entry.expiresAtNanos - System.nanoTime() < 0) {
      return null;
    }
    return active(entry.resolved);
  }

  private static SourceIdentity active(SourceIdentity identity) {
    return identity == null || identity.revoked() ? null : identity;
  }

  /** Forgets every cached key, e.g. after a revocation or a change of workspace limits. */
  public void invalidateAll() {
    cache.clear();
  }
}
