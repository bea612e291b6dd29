package dev.tributary.sla;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Empties the sla schema between tests (one Quarkus application serves every test class). */
@ApplicationScoped
public class Tables {

  private final Pool pool;

  Tables(Pool pool) {
    this.pool = pool;
  }

  public void truncateAll() {
    pool.query(
            "truncate sla.probe_results, sla.request_stats, sla.exclusions,"
                + " sla.maintenance_notices, sla.maintenance_windows, sla.report_corrections,"
                + " sla.monthly_reports, sla.order_forms, sla.termination_exercises,"
                + " sla.termination_notices")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(30));
  }
}
