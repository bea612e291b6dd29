package dev.tributary.ingestion.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A customer account: the unit of the SLA, of throughput limits and of legal notices. */
@Entity
@Table(name = "workspaces")
public class Workspace {

  @Id public UUID id;

  @Column(nullable = false)
  public String name;

  /** The contract time zone (an IANA id); SLA months are calendar months in it. */
  @Column(name = "time_zone", nullable = false)
  public String timeZone;

  /** Null means the service default. */
  @Column(name = "events_per_second")
  public Integer eventsPerSecond;

  /** Null means the service default. */
  public Integer burst;

  /** Days its events are kept; null means the service default. */
  @Column(name = "retention_days")
  public Integer retentionDays;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** Customer or probe; the admin API creates customer workspaces only. */
  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public WorkspaceKind kind = WorkspaceKind.CUSTOMER;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "workspace_contacts", joinColumns = @JoinColumn(name = "workspace_id"))
  @OrderColumn(name = "position")
  public List<Contact> contacts = new ArrayList<>();
}
