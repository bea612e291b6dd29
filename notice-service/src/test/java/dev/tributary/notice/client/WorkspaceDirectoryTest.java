package dev.tributary.notice.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.IngestionApiStub.Directory;
import dev.tributary.notice.IngestionApiStub.InjectIngestionApi;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The directory is read from ingestion-api in pages of 1000, following {@code after}. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class WorkspaceDirectoryTest {

  @InjectIngestionApi WireMockServer ingestionApi;
  @InjectIngestionApi Directory stubDirectory;
  @Inject WorkspaceDirectory directory;

  @BeforeEach
  void noRequestsYet() {
    ingestionApi.resetRequests();
  }

  @AfterEach
  void defaultDirectory() {
    stubDirectory.reset();
  }

  @Test
  void aDirectoryLargerThanOnePageIsReadCompletelyInOrder() throws Throwable {
    stubDirectory.set(IngestionApiStub.generated(2500, 1));

    List<WorkspaceRecord> all = readAll();

    assertEquals(2500, all.size());
    assertEquals(2500, new HashSet<>(all.stream().map(WorkspaceRecord::id).toList()).size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(UUID.fromString(IngestionApiStub.generatedId(i + 1)), all.get(i).id());
    }
    assertEquals(
        IngestionApiStub.generatedEmail(2500, 1), all.get(2499).contactsOrEmpty().get(0).email());
    List<LoggedRequest> pages = pageRequests();
    assertEquals(3, pages.size());
    assertEquals(List.of("1000", "1000", "1000"), pages.stream().map(r -> limit(r)).toList());
    // The first page without "after", then after the last workspace of each full page.
    assertEquals(
        Set.of("-", IngestionApiStub.generatedId(1000), IngestionApiStub.generatedId(2000)),
        pages.stream().map(WorkspaceDirectoryTest::after).collect(Collectors.toSet()));
  }

  @Test
  void anExactMultipleOfThePageSizeEndsWithAnEmptyPage() throws Throwable {
    stubDirectory.set(IngestionApiStub.generated(2000, 1));

    assertEquals(2000, readAll().size());

    List<LoggedRequest> pages = pageRequests();
    assertEquals(3, pages.size());
    assertTrue(pages.stream().anyMatch(r -> after(r).equals(IngestionApiStub.generatedId(2000))));
  }

  @Test
  void aSmallDirectoryIsOnePage() throws Throwable {
    assertEquals(3, readAll().size());
    assertEquals(1, pageRequests().size());
  }

  /** During a rolling upgrade ingestion-api may not page yet: it answers everything at once. */
  @Test
  void anIngestionApiThatDoesNotPageIsReadOnce() throws Throwable {
    String everything = new ObjectMapper().writeValueAsString(IngestionApiStub.generated(1200, 1));
    StubMapping unpaged =
        ingestionApi.stubFor(
            get(urlPathEqualTo(IngestionApiStub.WORKSPACES_PATH))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(everything)));
    try {
      assertEquals(1200, readAll().size());
      assertEquals(1, pageRequests().size());
    } finally {
      ingestionApi.removeStub(unpaged);
    }
  }

  @Test
  void oneWorkspaceIsLookedUpByIdAndAnUnknownOneIsEmpty() throws Throwable {
    Optional<WorkspaceRecord> globex =
        VertxContextSupport.subscribeAndAwait(
            () -> directory.find(UUID.fromString(IngestionApiStub.GLOBEX)));
    assertEquals("Globex", globex.orElseThrow().name());
    Optional<WorkspaceRecord> unknown =
        VertxContextSupport.subscribeAndAwait(() -> directory.find(UUID.randomUUID()));
    assertTrue(unknown.isEmpty());
  }

  private List<WorkspaceRecord> readAll() throws Throwable {
    return VertxContextSupport.subscribeAndAwait(directory::all);
  }

  private List<LoggedRequest> pageRequests() {
    return ingestionApi.findAll(getRequestedFor(urlPathEqualTo(IngestionApiStub.WORKSPACES_PATH)));
  }

  private static String limit(LoggedRequest request) {
    return request.queryParameter("limit").firstValue();
  }

  /** The request's "after", or "-" without one. */
  private static String after(LoggedRequest request) {
    QueryParameter after = request.queryParameter("after");
    return after.isPresent() ? after.firstValue() : "-";
  }
}
