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

  private record Entry(Uni<SourceIdentity> lookup, long expiresAtNanos) {}

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
    if (entry == null || entry.expiresAtNanos() - now < 0) {
      if (cache.size() >= MAX_CACHED_KEYS) {
        cache.clear();
      }
      Uni<SourceIdentity> lookup =
          repository.findByHash(WriteKeys.hash(writeKey)).memoize().indefinitely();
      Entry fresh = new Entry(lookup, now + ttlNanos);
      cache.put(writeKey, fresh);
      entry = fresh;
    }
    Entry used = entry;
    return used.lookup()
        .onFailure()
        .invoke(() -> cache.remove(writeKey, used))
        .map(identity -> identity == null || identity.revoked() ? null : identity);
  }

  /** Forgets every cached key, e.g. after a revocation or a change of workspace limits. */
  public void invalidateAll() {
    cache.clear();
  }
}
