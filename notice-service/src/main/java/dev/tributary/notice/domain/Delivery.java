package dev.tributary.notice.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One message of a notice to one address of one contact: the transactional outbox row, and once
 * sent, its evidence (provider message id, acceptance time, SHA-256 of the exact content).
 */
@Entity
@Table(name = "deliveries")
public class Delivery {

  @Id public UUID id;

  @Column(name = "notice_id", nullable = false)
  public UUID noticeId;

  @Column(name = "workspace_id", nullable = false)
  public UUID workspaceId;

  @Column(name = "contact_name")
  public String contactName;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public Channel channel;

  @Column(nullable = false)
  public String address;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public DeliveryStatus status;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public DeliveryStage stage = DeliveryStage.NOTICE;

  @Column(nullable = false)
  public int attempts;

  @Column(name = "next_attempt_at", nullable = false)
  public Instant nextAttemptAt;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "provider_message_id")
  public String providerMessageId;

  @Column(name = "accepted_at")
  public Instant acceptedAt;

  @Column(name = "content_sha256")
  public String contentSha256;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
