package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.repository.WriteKeyRepository;
import dev.tributary.ingestion.repository.WriteKeyRepository.SourceIdentity;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves write keys to sources. An answer is cached for {@code
 * tributary.ingestion.write-key-cache-ttl} and concurrent lookups of one key share one query; a
 * revocation on this replica clears the cache at once, other replicas see it within the TTL.
 *
 * <p>The keys in use are looked up again before their entries expire, all together in one query a
 * second ({@link #refreshAhead}): with thousands of sources sending, the cache would otherwise ask
 * the database once per key per TTL (a thousand queries a second at 10,000 keys and 10 s), and a
 * source that sends less often than the TTL (a mobile library flushes every 30 s) would find its
 * entry expired every time and wait for the database. A key nobody sent with for {@link #KEEP_WARM}
 * is left to expire.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class SourceAuthenticator {

  private static final int MAX_CACHED_KEYS = 100_000;

  /** How far ahead of its expiry an entry in use is looked up again. */
  private static final long REFRESH_AHEAD_NANOS = Duration.ofSeconds(3).toNanos();

  /** How long after its last request a key is still kept looked up. */
  static final Duration KEEP_WARM = Duration.ofMinutes(10);

  /** The last-use time is written at most this often: a write per request would be shared. */
  private static final long USE_GRANULARITY_NANOS = Duration.ofSeconds(1).toNanos();

  /**
   * One key's shared lookup: its answer, already reduced to an active source or null, once the
   * database has given it, and when a request last read it (to the second).
   */
  private static final class Entry {
    final long expiresAtNanos;
    final byte[] hash;
    final CompletableFuture<SourceIdentity> active;
    volatile long lastUsedNanos;

    Entry(
        long expiresAtNanos,
        byte[] hash,
        CompletableFuture<SourceIdentity> active,
        long lastUsedNanos) {
      this.expiresAtNanos = expiresAtNanos;
      this.hash = hash;
      this.active = active;
      this.lastUsedNanos = lastUsedNanos;
    }

    boolean answered() {
      return active.isDone() && !active.isCompletedExceptionally();
    }
  }

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
    if (entry != null && entry.expiresAtNanos - now >= 0) {
      if (now - entry.lastUsedNanos > USE_GRANULARITY_NANOS) {
        entry.lastUsedNanos = now;
      }
      return entry.active;
    }
    if (cache.size() >= MAX_CACHED_KEYS) {
      cache.clear();
    }
    byte[] hash = WriteKeys.hash(writeKey);
    Entry fresh = new Entry(now + ttlNanos, hash, new CompletableFuture<>(), now);
    cache.put(writeKey, fresh);
    repository
        .findByHash(hash)
        .subscribe()
        .with(
            identity -> fresh.active.complete(active(identity)),
            failure -> {
              // Not cached: the next request asks the database again.
              cache.remove(writeKey, fresh);
              fresh.active.completeExceptionally(failure);
            });
    return fresh.active;
  }

  /**
   * Looks up again, in one query, every key used within {@link #KEEP_WARM} whose entry expires
   * within {@link #REFRESH_AHEAD_NANOS}, and replaces the entries that are still cached: an entry
   * cleared in the meantime (a revocation on this replica) stays cleared.
   */
  @Scheduled(
      every = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class,
      identity = "write-key-refresh")
  Uni<Void> refreshAhead() {
    long now = System.nanoTime();
    long horizon = now + REFRESH_AHEAD_NANOS;
    long warmSince = now - KEEP_WARM.toNanos();
    List<String> keys = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    cache.forEach(
        (key, entry) -> {
          if (entry.lastUsedNanos - warmSince > 0
              && entry.answered()
              && entry.expiresAtNanos - horizon < 0) {
            keys.add(key);
            entries.add(entry);
          }
        });
    if (keys.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return repository
        .findByHashes(entries.stream().map(entry -> entry.hash).toList())
        .invoke(
            found -> {
              long expires = System.nanoTime() + ttlNanos;
              for (int i = 0; i < keys.size(); i++) {
                Entry old = entries.get(i);
                SourceIdentity identity = found.get(ByteBuffer.wrap(old.hash));
                cache.replace(
                    keys.get(i),
                    old,
                    new Entry(
                        expires,
                        old.hash,
                        CompletableFuture.completedFuture(active(identity)),
                        old.lastUsedNanos));
              }
            })
        .replaceWithVoid()
        .onFailure()
        .invoke(
            failure ->
                Log.debugf("write keys not looked up ahead (%s); they expire", failure.toString()))
        .onFailure()
        .recoverWithNull();
  }

  /**
   * The source of a key whose lookup is cached and answered, without waiting: null when the key is
   * not cached, still being looked up, expired, unknown or revoked. For checks that may skip work
   * but never decide alone that a key is valid.
   */
  public SourceIdentity known(String writeKey) {
    Entry entry = cache.get(writeKey);
    if (entry == null || entry.expiresAtNanos - System.nanoTime() < 0 || !entry.answered()) {
      return null;
    }
    return entry.active.join();
  }

  private static SourceIdentity active(SourceIdentity identity) {
    return identity == null || identity.revoked() ? null : identity;
  }

  /** Forgets every cached key, e.g. after a revocation or a change of workspace limits. */
  public void invalidateAll() {
    cache.clear();
  }
}
