package dev.tributary.sla.rest;

import dev.tributary.sla.repository.EvidenceRepository;
import dev.tributary.sla.repository.EvidenceRepository.ProbeRecord;
import dev.tributary.sla.service.Prober;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Probe results from external probers (other locations, blackbox exporters). */
@Path("/v1/probe-results")
@Tag(name = "Evidence")
@SecurityRequirement(name = "SecurityScheme")
public class ProbeResultResource {

  static final int MAX_RESULTS = 10_000;

  /** Results may be a little ahead of this server's clock, never more. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** One probe call: when, which endpoint, whether it succeeded, how long it took, from where. */
  public record ProbeResultInput(
      Instant at, String endpoint, Boolean ok, Integer latencyMs, String location) {}

  private final EvidenceRepository evidence;
  private final Clock clock;

  public ProbeResultResource(EvidenceRepository evidence, Clock clock) {
    this.evidence = evidence;
    this.clock = clock;
  }

  @POST
  @Operation(
      summary = "Record probe results (a JSON array, at most 10,000; past minutes are accepted)",
      description =
          "The whole array is validated first: one bad result refuses the request (422) and"
              + " records nothing. A closed month's frozen report is not changed by late results;"
              + " a correction recomputes it.")
  public Uni<Response> record(List<ProbeResultInput> results) {
    if (results == null || results.isEmpty()) {
      throw ApiException.unprocessable("empty_batch", "send a non-empty JSON array of results");
    }
    if (results.size() > MAX_RESULTS) {
      throw ApiException.unprocessable(
          "batch_too_large", "send at most " + MAX_RESULTS + " results per request");
    }
    Instant now = clock.instant();
    Errors errors = new Errors();
    List<ProbeRecord> records = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      ProbeResultInput r = results.get(i);
      String at = "[" + i + "].";
      if (r == null) {
        errors.add("missing_field", at + " is null");
        continue;
      }
      errors.require(r.at(), at + "at");
      errors.require(r.ok(), at + "ok");
      errors.require(r.location(), at + "location");
      if (r.endpoint() == null || !Prober.ENDPOINTS.contains(r.endpoint())) {
        errors.add("unknown_endpoint", at + "endpoint must be one of " + Prober.ENDPOINTS);
      }
      if (r.at() != null && r.at().isAfter(now.plus(CLOCK_SKEW))) {
        errors.add("result_in_future", at + "at is in the future");
      }
      if (r.latencyMs() != null && r.latencyMs() < 0) {
        errors.add("invalid_latency", at + "latencyMs must not be negative");
      }
      if (r.location() != null && r.location().length() > 100) {
        errors.add("invalid_location", at + "location is longer than 100 characters");
      }
      if (r.at() != null && r.ok() != null && r.endpoint() != null && r.location() != null) {
        records.add(
            new ProbeRecord(
                r.at(), r.endpoint(), r.ok(), r.latencyMs(), r.location().strip(), null, null));
      }
    }
    errors.throwIfAny();
    return evidence
        .addProbeResults(records, now)
        .map(ignored -> Response.accepted(Map.of("accepted", records.size())).build());
  }
}
