package dev.tributary.sla.repository;

import dev.tributary.sla.repository.EvidenceRepository.ProbeRecord;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The prober's own way into PostgreSQL: plain JDBC on the prober's thread, through the small JDBC
 * pool, so storing a probe round never waits behind the reactive pool, the event loops or the
 * worker threads that the evaluation uses.
 */
@ApplicationScoped
public class ProbeStore {

  private static final String INSERT =
      "insert into sla.probe_results (at, minute, endpoint, ok, latency_ms, location, status,"
          + " error, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String INSERT_GAP =
      "insert into sla.probe_gaps (start_minute, end_minute, reason, recorded_at)"
          + " values (?, ?, ?, ?) on conflict (start_minute) do nothing";

  private final AgroalDataSource dataSource;

  ProbeStore(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores the results of one or more rounds in one transaction. */
  public void store(List<ProbeRecord> results, Instant recordedAt) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      for (ProbeRecord r : results) {
        insert.setObject(1, utc(r.at()));
        insert.setObject(2, utc(r.at().truncatedTo(ChronoUnit.MINUTES)));
        insert.setString(3, r.endpoint());
        insert.setBoolean(4, r.ok());
        setInteger(insert, 5, r.latencyMs());
        insert.setString(6, r.location());
        setInteger(insert, 7, r.status());
        insert.setString(8, r.error());
        insert.setObject(9, utc(recordedAt));
        insert.addBatch();
      }
      insert.executeBatch();
      c.commit();
    }
  }

  /**
   * Deletes at most {@code batch} probe results of minutes before {@code before}, oldest first, in
   * one short transaction; answers how many.
   */
  public int deleteBefore(Instant before, int batch) throws SQLException {
    return deleteBatch(
        "delete from sla.probe_results where id = any (array("
            + "select id from sla.probe_results where minute < ? order by minute limit ?))",
        before,
        batch);
  }

  /**
   * Deletes at most {@code batch} rows of the copy of the request statistics ({@code
   * sla.request_stats}) before {@code before}; answers how many. Same retention as the probes.
   */
  public int deleteRequestStatsBefore(Instant before, int batch) throws SQLException {
    return deleteBatch(
        "delete from sla.request_stats where ctid = any (array("
            + "select ctid from sla.request_stats where minute < ? limit ?))",
        before,
        batch);
  }

  private int deleteBatch(String statement, Instant before, int batch) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement(statement)) {
      delete.setObject(1, utc(before));
      delete.setInt(2, batch);
      return delete.executeUpdate();
    }
  }

  /** The latest minute in {@code [since, before)} with any probe result, if any. */
  public Instant latestMinute(Instant since, Instant before) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement(
                "select max(minute) from sla.probe_results where minute >= ? and minute < ?")) {
      query.setObject(1, utc(since));
      query.setObject(2, utc(before));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        Timestamp latest = rows.getTimestamp(1);
        return latest == null ? null : latest.toInstant();
      }
    }
  }

  /** The minutes of {@code [from, to)} that have probe results, in order. */
  public List<Instant> minutesWithResults(Instant from, Instant to) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement(
                "select distinct minute from sla.probe_results where minute >= ? and minute < ?"
                    + " order by minute")) {
      query.setObject(1, utc(from));
      query.setObject(2, utc(to));
      List<Instant> minutes = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          minutes.add(rows.getTimestamp(1).toInstant());
        }
      }
      return minutes;
    }
  }

  /** Records why the minutes [start, end) have no probe results (once per start minute). */
  public void recordGap(Instant start, Instant end, String reason, Instant recordedAt)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement(INSERT_GAP)) {
      insert.setObject(1, utc(start));
      insert.setObject(2, utc(end));
      insert.setString(3, reason);
      insert.setObject(4, utc(recordedAt));
      insert.executeUpdate();
    }
  }

  private static void setInteger(PreparedStatement statement, int index, Integer value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
