package dev.tributary.notice.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A notice as created; never changed afterwards (it is part of the evidence). */
@Entity
@Table(name = "notices")
public class Notice {

  @Id public UUID id;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public NoticeKind kind;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "idempotency_key")
  public String idempotencyKey;

  @Column(name = "request_sha256")
  public String requestSha256;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public Map<String, Object> audience;

  /** The channels of the deliveries, comma-separated in {@link Channel} order: "EMAIL,SMS". */
  @Column(nullable = false)
  public String channels;

  public List<Channel> channelList() {
    return Arrays.stream(channels.split(",")).map(Channel::valueOf).toList();
  }

  public String document;
  public String version;
  public String url;
  public String summary;

  @Column(name = "effective_at")
  public Instant effectiveAt;

  public Boolean material;

  @Column(name = "legal_change")
  public Boolean legalChange;

  @Column(name = "window_start")
  public Instant windowStart;

  @Column(name = "window_end")
  public Instant windowEnd;

  public String description;

  @Column(name = "related_notice_id")
  public UUID relatedNoticeId;

  @Column(name = "lead_time_required_business_days")
  public Integer leadTimeRequiredBusinessDays;

  @Column(name = "lead_time_met")
  public Boolean leadTimeMet;

  public String month;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> extra;

  public String subject;
  public String body;
}
