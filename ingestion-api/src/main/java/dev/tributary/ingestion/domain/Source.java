package dev.tributary.ingestion.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Where events come from (an app, a server); it owns one write key. */
@Entity
@Table(name = "sources")
public class Source {

  @Id public UUID id;

  @Column(name = "workspace_id", nullable = false)
  public UUID workspaceId;

  @Column(nullable = false)
  public String name;

  /** SHA-256 of the write key; the key itself is never stored. */
  @Column(name = "write_key_hash", nullable = false)
  public byte[] writeKeyHash;

  /** The key's first characters, so people can tell keys apart. */
  @Column(name = "write_key_hint", nullable = false)
  public String writeKeyHint;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  /**
   * Origins browsers may send from with this key ({@code AllowedOrigins} patterns, normalised);
   * null: any.
   */
  @Column(name = "allowed_origins")
  public String[] allowedOrigins;

  public boolean isRevoked() {
    return revokedAt != null;
  }
}
