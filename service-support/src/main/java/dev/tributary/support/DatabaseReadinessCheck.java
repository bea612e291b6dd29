package dev.tributary.support;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when PostgreSQL answers and this service's migrations are applied. Liveness has no database
 * check on purpose: a database outage must take the pod out of rotation, not restart it.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final Pool pool;
  private final String migrations;

  public DatabaseReadinessCheck(
      Pool pool, @ConfigProperty(name = "quarkus.flyway.default-schema") String schema) {
    this.pool = pool;
    // The schema name comes from this service's own configuration, never from a request.
    this.migrations =
        "select count(*) filter (where success), count(*) filter (where not success) from "
            + schema
            + ".flyway_schema_history";
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return pool.query(migrations)
        .execute()
        .map(
            rows -> {
              var row = rows.iterator().next();
              long applied = row.getLong(0);
              long failed = row.getLong(1);
              return HealthCheckResponse.named("database")
                  .status(applied > 0 && failed == 0)
                  .withData("migrationsApplied", applied)
                  .withData("migrationsFailed", failed)
                  .build();
            })
        .ifNoItem()
        .after(TIMEOUT)
        .fail()
        .onFailure()
        .recoverWithItem(
            failure ->
                HealthCheckResponse.named("database")
                    .down()
                    .withData("error", failure.getClass().getSimpleName())
                    .build());
  }
}
