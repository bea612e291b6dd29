package dev.tributary.sla;

import dev.tributary.sla.service.ProbeTimeline;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Empties the sla schema between tests (one Quarkus application serves every test class), and the
 * probe evidence kept in memory with it.
 */
@ApplicationScoped
public class Tables {

  private final Pool pool;
  private final ProbeTimeline timeline;

  Tables(Pool pool, ProbeTimeline timeline) {
    this.pool = pool;
    this.timeline = timeline;
  }

  public void truncateAll() {
    pool.query(
            "truncate sla.probe_results, sla.probe_gaps, sla.request_stats, sla.exclusions,"
                + " sla.maintenance_notices, sla.maintenance_windows, sla.report_corrections,"
                + " sla.monthly_reports, sla.order_forms, sla.termination_exercises,"
                + " sla.termination_notices, sla.status_links")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(30));
    timeline.clear();
  }
}
