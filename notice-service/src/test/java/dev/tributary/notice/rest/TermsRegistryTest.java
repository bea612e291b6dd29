package dev.tributary.notice.rest;

import static dev.tributary.notice.IngestionApiStub.ACME;
import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.IngestionApiStub.INITECH;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.createdBefore;
import static dev.tributary.notice.Notices.notice;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.workspaces;
import static org.hamcrest.Matchers.is;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The terms registry. Workspaces of the ingestion-api stub: Initech created 2024-05-01, Acme
 * 2025-01-10, Globex 2026-02-15. Each test uses its own document name.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
class TermsRegistryTest {

  @Inject TestClock clock;

  private String document;
  private String v1;
  private String v2;
  private String v3;

  /**
   * v1 (2026-01-05, to Acme only, effective 2026-01-06); v2 (2026-02-01, to the workspaces created
   * before 2026-02-01: Acme and Initech, effective 2026-04-01); v3 (2026-03-01, to the workspaces
   * created before 2025-01-01: Initech only, effective 2026-04-05).
   */
  @BeforeEach
  void threeVersions() {
    document = "aup-" + UUID.randomUUID().toString().substring(0, 8);
    clock.set(Instant.parse("2026-01-05T00:00:00Z"));
    v1 = terms(workspaces(ACME), "v1", "2026-01-06T00:00:00Z", false);
    clock.set(Instant.parse("2026-02-01T00:00:00Z"));
    v2 = terms(createdBefore("2026-02-01T00:00:00Z"), "v2", "2026-04-01T00:00:00Z", true);
    clock.set(Instant.parse("2026-03-01T00:00:00Z"));
    v3 = terms(createdBefore("2025-01-01T00:00:00Z"), "v3", "2026-04-05T00:00:00Z", false);
    clock.set(TestClock.MONDAY);
  }

  @AfterEach
  void backToMonday() {
    clock.set(TestClock.MONDAY);
  }

  @Test
  void beforeEffectiveAtTheOldVersionBindsANotifiedWorkspaceAfterItTheNewOne() {
    inForce(ACME, "2026-03-01T00:00:00Z")
        .statusCode(200)
        .body("document", is(document))
        .body("version", is("v1"))
        .body("url", is("https://tributary.example/legal/" + document + "/v1"))
        .body("effectiveAt", is("2026-01-06T00:00:00Z"))
        .body("bindingSince", is("2026-01-06T00:00:00Z"))
        .body("noticeId", is(v1));
    inForce(ACME, "2026-03-31T23:59:59Z").statusCode(200).body("version", is("v1"));
    inForce(ACME, "2026-04-01T00:00:00Z")
        .statusCode(200)
        .body("version", is("v2"))
        .body("bindingSince", is("2026-04-01T00:00:00Z"))
        .body("noticeId", is(v2));
  }

  @Test
  void nothingBindsBeforeTheFirstVersionIsEffective() {
    inForce(ACME, "2026-01-05T12:00:00Z").statusCode(404).body("code", is("no_version_in_force"));
    inForce(ACME, "2026-01-04T00:00:00Z").statusCode(404);
  }

  @Test
  void aWorkspaceCreatedAfterTheNoticeIsBoundAtOnceEvenBeforeEffectiveAt() {
    // Globex (2026-02-15) is not in v2's CREATED_BEFORE audience: it signed up under v2.
    inForce(GLOBEX, "2026-02-20T00:00:00Z")
        .statusCode(200)
        .body("version", is("v2"))
        .body("effectiveAt", is("2026-04-01T00:00:00Z"))
        .body("bindingSince", is("2026-02-15T00:00:00Z"))
        .body("noticeId", is(v2));
    // It did not exist before.
    inForce(GLOBEX, "2026-02-14T23:59:59Z").statusCode(404);
  }

  @Test
  void aWorkspaceThatExistedButWasNotInTheAudienceIsNotBound() {
    // Initech was not notified of v1 and existed before it.
    inForce(INITECH, "2026-03-01T00:00:00Z").statusCode(404);
    inForce(INITECH, "2026-04-02T00:00:00Z").statusCode(200).body("version", is("v2"));
    inForce(INITECH, "2026-04-05T00:00:00Z").statusCode(200).body("version", is("v3"));
    // Acme and Globex existed when v3 was sent, after its CREATED_BEFORE cut-off: not bound by
    // v3; each stays on v2.
    inForce(ACME, "2026-04-10T00:00:00Z").statusCode(200).body("version", is("v2"));
    inForce(GLOBEX, "2026-04-10T00:00:00Z")
        .statusCode(200)
        .body("version", is("v2"))
        .body("bindingSince", is("2026-02-15T00:00:00Z"));
  }

  @Test
  void theDocumentMatchesIgnoringCaseAndAtDefaultsToNow() {
    service()
        .queryParam("workspaceId", ACME)
        .queryParam("at", "2026-03-01T00:00:00Z")
        .get("/v1/terms/{document}/in-force", document.toUpperCase())
        .then()
        .statusCode(200)
        .body("version", is("v1"));
    // Now is TestClock.MONDAY, 2026-03-02.
    service()
        .queryParam("workspaceId", ACME)
        .get("/v1/terms/{document}/in-force", document)
        .then()
        .statusCode(200)
        .body("version", is("v1"));
  }

  @Test
  void unknownWorkspaceOrDocumentIs404AndBadParametersAre400() {
    inForce(UUID.randomUUID().toString(), "2026-04-10T00:00:00Z")
        .statusCode(404)
        .body("code", is("no_version_in_force"));
    service()
        .queryParam("workspaceId", ACME)
        .get("/v1/terms/{document}/in-force", "no-such-document")
        .then()
        .statusCode(404)
        .body("code", is("no_version_in_force"));
    service()
        .get("/v1/terms/{document}/in-force", document)
        .then()
        .statusCode(400)
        .body("code", is("invalid_workspace_id"));
    service()
        .queryParam("workspaceId", "not-a-uuid")
        .get("/v1/terms/{document}/in-force", document)
        .then()
        .statusCode(400)
        .body("code", is("invalid_workspace_id"));
    inForce(ACME, "yesterday").statusCode(400).body("code", is("invalid_at"));
  }

  private ValidatableResponse inForce(String workspaceId, String at) {
    return service()
        .queryParam("workspaceId", workspaceId)
        .queryParam("at", at)
        .get("/v1/terms/{document}/in-force", document)
        .then();
  }

  private String terms(
      Map<String, Object> audience, String version, String effectiveAt, boolean material) {
    return create(
            notice(
                "TERMS_UPDATE",
                audience,
                "document",
                document,
                "version",
                version,
                "url",
                "https://tributary.example/legal/" + document + "/" + version,
                "summary",
                "Changes.",
                "effectiveAt",
                effectiveAt,
                "material",
                material,
                "legalChange",
                false))
        .statusCode(201)
        .extract()
        .path("id");
  }
}
