package dev.tributary.notice;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ingestion-api faked at the HTTP level: {@code GET /internal/v1/workspaces?limit=&after=} pages
 * through a {@link Directory} as ingestion-api does (at most {@code limit} workspaces, default
 * 1000, at most 5000, oldest first by (createdAt, id), starting after workspace {@code after}), and
 * {@code GET /internal/v1/workspaces/{id}} answers one workspace or 404; both to the service token
 * only, 401 to anything else.
 *
 * <p>The directory holds three workspaces unless a test replaces them ({@link Directory#set}, then
 * {@link Directory#reset} afterwards):
 *
 * <ul>
 *   <li>{@link #ACME}, created 2025-01-10: Legal (email and phone), Ops (phone), and a second
 *       contact with Legal's email (one email delivery, two SMS deliveries);
 *   <li>{@link #GLOBEX}, created 2026-02-15: Counsel (email only);
 *   <li>{@link #INITECH}, created 2024-05-01: no contacts (a recipient without deliveries).
 * </ul>
 */
public class IngestionApiStub implements QuarkusTestResourceLifecycleManager {

  /**
   * Injects the {@link WireMockServer} (to add stubs or verify requests) or the {@link Directory}
   * into a test's field, by the field's type.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectIngestionApi {}

  public static final String ACME = "11111111-1111-1111-1111-111111111111";
  public static final String GLOBEX = "22222222-2222-2222-2222-222222222222";
  public static final String INITECH = "33333333-3333-3333-3333-333333333333";

  public static final String WORKSPACES_PATH = "/internal/v1/workspaces";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Acme, Globex and Initech. */
  static final List<Map<String, Object>> DEFAULTS =
      List.of(
          workspace(
              ACME,
              "Acme",
              "Europe/Paris",
              "2025-01-10T09:00:00Z",
              List.of(
                  contact("Legal", "legal@acme.example", "+14155550100"),
                  contact("Ops", null, "+14155550101"),
                  contact("Legal copy", "legal@acme.example", null))),
          workspace(
              GLOBEX,
              "Globex",
              "America/New_York",
              "2026-02-15T00:00:00Z",
              List.of(contact("Counsel", "counsel@globex.example", null))),
          workspace(INITECH, "Initech", "UTC", "2024-05-01T00:00:00Z", List.of()));

  /** The workspaces the stub serves, kept in ingestion-api's order: (createdAt, id). */
  public static final class Directory {

    private volatile List<Map<String, Object>> workspaces = sorted(DEFAULTS);

    /** Serves {@code replacement} from now on (in any order). */
    public void set(List<Map<String, Object>> replacement) {
      workspaces = sorted(replacement);
    }

    /** Back to Acme, Globex and Initech. */
    public void reset() {
      workspaces = sorted(DEFAULTS);
    }

    List<Map<String, Object>> workspaces() {
      return workspaces;
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> workspaces) {
      List<Map<String, Object>> sorted = new ArrayList<>(workspaces);
      // PostgreSQL orders uuids by their bytes, which is the order of their lowercase hex text.
      sorted.sort(
          Comparator.comparing(
                  (Map<String, Object> w) -> Instant.parse((String) w.get("createdAt")))
              .thenComparing(w -> ((String) w.get("id")).toLowerCase()));
      return List.copyOf(sorted);
    }
  }

  /**
   * {@code count} workspaces "Workspace 00001", … with ids {@link #generatedId}(1), …, created a
   * minute apart from 2024-01-01, each with {@code contacts} email contacts {@code
   * contact-<j>@ws<i>.example}.
   */
  public static List<Map<String, Object>> generated(int count, int contacts) {
    List<Map<String, Object>> workspaces = new ArrayList<>();
    Instant first = Instant.parse("2024-01-01T00:00:00Z");
    for (int i = 1; i <= count; i++) {
      List<Map<String, Object>> people = new ArrayList<>();
      for (int j = 1; j <= contacts; j++) {
        people.add(contact("Contact " + j, generatedEmail(i, j), null));
      }
      workspaces.add(
          workspace(
              generatedId(i),
              "Workspace %05d".formatted(i),
              "UTC",
              first.plusSeconds(60L * i).toString(),
              people));
    }
    return workspaces;
  }

  /** The id of the {@code i}th {@link #generated} workspace. */
  public static String generatedId(int i) {
    return "00000000-0000-4000-8000-%012d".formatted(i);
  }

  /** The email address of contact {@code j} of the {@code i}th {@link #generated} workspace. */
  public static String generatedEmail(int i, int j) {
    return "contact-%d@ws%05d.example".formatted(j, i);
  }

  /** A workspace as ingestion-api's WorkspaceView has it. */
  public static Map<String, Object> workspace(
      String id,
      String name,
      String timeZone,
      String createdAt,
      List<Map<String, Object>> contacts) {
    Map<String, Object> workspace = new LinkedHashMap<>();
    workspace.put("id", id);
    workspace.put("name", name);
    workspace.put("timeZone", timeZone);
    workspace.put("createdAt", createdAt);
    workspace.put("contacts", contacts);
    workspace.put("eventsPerSecond", 1000);
    workspace.put("burst", 2000);
    workspace.put("kind", "CUSTOMER");
    return workspace;
  }

  public static Map<String, Object> contact(String name, String email, String phone) {
    Map<String, Object> contact = new LinkedHashMap<>();
    contact.put("name", name);
    contact.put("email", email);
    contact.put("phone", phone);
    return contact;
  }

  /** Answers the directory's pages and single workspaces. */
  private static final class DirectoryPages implements ResponseDefinitionTransformerV2 {

    static final String NAME = "workspace-directory";
    private final Directory directory;

    DirectoryPages(Directory directory) {
      this.directory = directory;
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
      Request request = serveEvent.getRequest();
      String path = URI.create(request.getUrl()).getPath();
      List<Map<String, Object>> all = directory.workspaces();
      if (path.length() > WORKSPACES_PATH.length() + 1) {
        String id = path.substring(WORKSPACES_PATH.length() + 1);
        return all.stream()
            .filter(w -> id.equalsIgnoreCase((String) w.get("id")))
            .findFirst()
            .map(w -> json(200, w))
            .orElseGet(() -> json(404, Map.of("code", "not_found")));
      }
      int limit;
      try {
        limit = param(request, "limit") == null ? 1000 : Integer.parseInt(param(request, "limit"));
      } catch (NumberFormatException e) {
        return json(400, Map.of("code", "invalid_limit"));
      }
      if (limit < 1 || limit > 5000) {
        return json(400, Map.of("code", "invalid_limit"));
      }
      int from = 0;
      String after = param(request, "after");
      if (after != null) {
        from = -1;
        for (int i = 0; i < all.size(); i++) {
          if (after.equalsIgnoreCase((String) all.get(i).get("id"))) {
            from = i + 1;
          }
        }
        if (from < 0) {
          return json(400, Map.of("code", "unknown_after"));
        }
      }
      return json(200, all.subList(from, Math.min(all.size(), from + limit)));
    }

    private static String param(Request request, String name) {
      QueryParameter parameter = request.queryParameter(name);
      return parameter.isPresent() ? parameter.firstValue() : null;
    }

    private static ResponseDefinition json(int status, Object body) {
      try {
        return new ResponseDefinitionBuilder()
            .withStatus(status)
            .withHeader("Content-Type", "application/json")
            .withBody(JSON.writeValueAsString(body))
            .build();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Directory directory = new Directory();
  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server =
        new WireMockServer(
            WireMockConfiguration.options()
                .dynamicPort()
                .extensions(new DirectoryPages(directory)));
    server.start();
    server.stubFor(
        get(urlPathMatching(WORKSPACES_PATH + "(/[^/]+)?"))
            .atPriority(10)
            .willReturn(aResponse().withStatus(401)));
    server.stubFor(
        get(urlPathMatching(WORKSPACES_PATH + "(/[^/]+)?"))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer test-service-token"))
            .willReturn(aResponse().withTransformers(DirectoryPages.NAME)));
    return Map.of("quarkus.rest-client.ingestion-api.url", server.baseUrl());
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server,
        new TestInjector.AnnotatedAndMatchesType(InjectIngestionApi.class, WireMockServer.class));
    testInjector.injectIntoFields(
        directory,
        new TestInjector.AnnotatedAndMatchesType(InjectIngestionApi.class, Directory.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
