package dev.tributary.sla.config;

import dev.tributary.sla.evaluation.ExclusionOutcome;
import dev.tributary.sla.evaluation.Flag;
import dev.tributary.sla.evaluation.Ledger;
import dev.tributary.sla.evaluation.MaintenanceWindowOutcome;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.evaluation.UnavailableMinute;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records a frozen month is stored as (JSON columns written and read by {@code ReportService}
 * through its own {@code ObjectMapper}, not through a REST resource), registered for reflection so
 * that a native executable can still write and read them. The evaluation package stays free of
 * framework annotations.
 */
@RegisterForReflection(
    targets = {
      MonthReport.class,
      Flag.class,
      MaintenanceWindowOutcome.class,
      ExclusionOutcome.class,
      UnavailableMinute.class,
      Ledger.Run.class
    })
final class StoredJsonTypes {
  private StoredJsonTypes() {}
}
