package dev.tributary.sla.status;

import static dev.tributary.sla.status.StatusEvidence.NOW;
import static dev.tributary.sla.status.StatusEvidence.admin;
import static dev.tributary.sla.status.StatusEvidence.reportFigure;
import static dev.tributary.sla.status.StatusEvidence.rotateLink;
import static dev.tributary.sla.status.StatusEvidence.service;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The machine-readable status (issue 13): the Statuspage v2 JSON field by field, the RSS 2.0 and
 * Atom feeds parsed as XML, the badges, the private links and what the public never sees.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class StatusApiTest {

  /** Atlassian Statuspage's public API v2 fields, exactly. */
  static final Set<String> PAGE = Set.of("id", "name", "url", "time_zone", "updated_at");

  static final Set<String> COMPONENT =
      Set.of(
          "id",
          "name",
          "status",
          "created_at",
          "updated_at",
          "position",
          "description",
          "showcase",
          "start_date",
          "group_id",
          "page_id",
          "group",
          "only_show_if_degraded");

  static final Set<String> INCIDENT =
      Set.of(
          "id",
          "name",
          "status",
          "created_at",
          "updated_at",
          "monitoring_at",
          "resolved_at",
          "impact",
          "shortlink",
          "started_at",
          "page_id",
          "incident_updates",
          "components");

  static final Set<String> UPDATE =
      Set.of(
          "id",
          "status",
          "body",
          "incident_id",
          "created_at",
          "updated_at",
          "display_at",
          "affected_components",
          "deliver_notifications",
          "custom_tweet",
          "tweet_id");

  static final Set<String> MAINTENANCE =
      union(INCIDENT, Set.of("scheduled_for", "scheduled_until"));

  static final Set<String> COMPONENT_STATES =
      Set.of(
          "operational",
          "degraded_performance",
          "partial_outage",
          "major_outage",
          "under_maintenance");

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject Pool pool;

  @BeforeEach
  void seed() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    StatusEvidence.seed(clock);
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  static JsonPath json(String path) {
    Response r = given().get(path);
    assertEquals(200, r.statusCode(), path);
    assertTrue(r.contentType().startsWith("application/json"), path + ": " + r.contentType());
    return r.jsonPath();
  }

  static void instant(Object value, String what) {
    assertNotNull(value, what);
    ZonedDateTime.parse((String) value, DateTimeFormatter.ISO_DATE_TIME);
  }

  static void assertPage(Map<String, Object> page) {
    assertEquals(PAGE, page.keySet());
    assertEquals("tributary", page.get("id"));
    assertEquals("Tributary Data Ingestion API", page.get("name"));
    assertTrue(((String) page.get("url")).endsWith("/status"), "url: " + page.get("url"));
    assertEquals("Etc/UTC", page.get("time_zone"));
    assertEquals(NOW, Instant.parse((String) page.get("updated_at")));
  }

  static void assertComponent(Map<String, Object> c) {
    assertEquals(COMPONENT, c.keySet(), "component fields");
    assertTrue(StatusEvidence.ENDPOINTS.contains(c.get("id")), "id " + c.get("id"));
    assertEquals("Data Ingestion API: " + c.get("id"), c.get("name"));
    assertTrue(COMPONENT_STATES.contains(c.get("status")), "status " + c.get("status"));
    instant(c.get("created_at"), "created_at");
    instant(c.get("updated_at"), "updated_at");
    assertEquals(StatusEvidence.ENDPOINTS.indexOf(c.get("id")) + 1, c.get("position"));
    assertEquals(true, c.get("showcase"));
    assertEquals("2025-12-19", c.get("start_date"));
    assertNull(c.get("group_id"));
    assertEquals("tributary", c.get("page_id"));
    assertEquals(false, c.get("group"));
    assertEquals(false, c.get("only_show_if_degraded"));
  }

  @SuppressWarnings("unchecked")
  static void assertIncidentShape(Map<String, Object> i, Set<String> fields) {
    assertEquals(fields, i.keySet(), "incident fields");
    instant(i.get("created_at"), "created_at");
    instant(i.get("updated_at"), "updated_at");
    instant(i.get("started_at"), "started_at");
    assertNull(i.get("monitoring_at"));
    assertEquals("tributary", i.get("page_id"));
    assertTrue(((String) i.get("shortlink")).contains("/status#"), "shortlink");
    List<Map<String, Object>> updates = (List<Map<String, Object>>) i.get("incident_updates");
    assertFalse(updates.isEmpty(), "updates");
    for (Map<String, Object> u : updates) {
      assertEquals(UPDATE, u.keySet(), "update fields");
      assertEquals(i.get("id"), u.get("incident_id"));
      instant(u.get("created_at"), "update created_at");
      instant(u.get("display_at"), "update display_at");
      assertEquals(false, u.get("deliver_notifications"));
      assertNull(u.get("tweet_id"));
      assertNull(u.get("custom_tweet"));
      for (Map<String, Object> a : (List<Map<String, Object>>) u.get("affected_components")) {
        assertEquals(Set.of("code", "name", "old_status", "new_status"), a.keySet());
      }
    }
    ((List<Map<String, Object>>) i.get("components")).forEach(StatusApiTest::assertComponent);
  }

  @Test
  @SuppressWarnings("unchecked")
  void summaryHasStatuspagesShapeFieldByField() {
    JsonPath summary = json("/api/v2/summary.json");
    Map<String, Object> root = summary.getMap("$");
    assertEquals(
        Set.of("page", "components", "incidents", "scheduled_maintenances", "status"),
        root.keySet());
    assertPage(summary.getMap("page"));
    assertEquals(
        Map.of("indicator", "none", "description", "All Systems Operational"),
        summary.getMap("status"));
    List<Map<String, Object>> components = summary.getList("components");
    assertEquals(StatusEvidence.ENDPOINTS, components.stream().map(c -> c.get("id")).toList());
    components.forEach(StatusApiTest::assertComponent);
    components.forEach(c -> assertEquals("operational", c.get("status")));
    assertEquals(List.of(), summary.getList("incidents"), "only unresolved incidents");

    List<Map<String, Object>> maintenances = summary.getList("scheduled_maintenances");
    assertEquals(1, maintenances.size(), "the upcoming window, not the completed one");
    Map<String, Object> m = maintenances.get(0);
    assertIncidentShape(m, MAINTENANCE);
    assertEquals("storage migration", m.get("name"));
    assertEquals("scheduled", m.get("status"));
    assertEquals("maintenance", m.get("impact"));
    assertEquals("2026-03-21T02:00:00Z", m.get("scheduled_for"));
    assertEquals("2026-03-21T03:00:00Z", m.get("scheduled_until"));
    assertNull(m.get("resolved_at"));
    assertEquals(6, ((List<Object>) m.get("components")).size());
  }

  @Test
  @SuppressWarnings("unchecked")
  void incidentsAreTheRunsOfUnavailableMinutesNewestFirst() {
    JsonPath incidents = json("/api/v2/incidents.json");
    assertPage(incidents.getMap("page"));
    List<Map<String, Object>> list = incidents.getList("incidents");
    assertEquals(3, list.size(), "the maintenance window's failures are not an incident: " + list);
    list.forEach(i -> assertIncidentShape(i, INCIDENT));

    Map<String, Object> pageOutage = list.get(0);
    assertEquals("2026-03-12T09:00:00Z", pageOutage.get("started_at"));
    assertEquals("2026-03-12T09:03:00Z", pageOutage.get("resolved_at"));
    assertEquals("Unavailable: page (3 minutes)", pageOutage.get("name"));

    Map<String, Object> outage = list.get(1);
    assertEquals("Unavailable: track (72 minutes)", outage.get("name"));
    assertEquals("resolved", outage.get("status"));
    assertEquals("major", outage.get("impact"));
    assertEquals("2026-03-10T14:00:00Z", outage.get("created_at"));
    assertEquals("2026-03-10T14:00:00Z", outage.get("started_at"));
    assertEquals("2026-03-10T15:12:00Z", outage.get("resolved_at"));
    List<Map<String, Object>> updates = (List<Map<String, Object>>) outage.get("incident_updates");
    assertEquals(
        List.of("resolved", "investigating"), updates.stream().map(u -> u.get("status")).toList());
    assertEquals("Unavailable: every probe of track failed", updates.get(1).get("body"));
    assertEquals(
        List.of(
            Map.of(
                "code",
                "track",
                "name",
                "Data Ingestion API: track",
                "old_status",
                "operational",
                "new_status",
                "major_outage")),
        updates.get(1).get("affected_components"));
    assertEquals(
        List.of("track"),
        ((List<Map<String, Object>>) outage.get("components"))
            .stream().map(c -> c.get("id")).toList());

    assertEquals("2026-02-10T20:00:00Z", list.get(2).get("started_at"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void anOngoingOutageIsUnresolvedAndTheComponentIsDown() {
    clock.set(NOW.plusSeconds(60));
    StatusEvidence.fail(Instant.parse("2026-03-18T12:00:00Z"), "track");

    JsonPath summary = json("/api/v2/summary.json");
    assertEquals(
        Map.of("indicator", "major", "description", "Partial System Outage"),
        summary.getMap("status"));
    Map<String, String> states = new java.util.HashMap<>();
    for (Map<String, Object> c : summary.<Map<String, Object>>getList("components")) {
      states.put((String) c.get("id"), (String) c.get("status"));
    }
    assertEquals("major_outage", states.get("track"));
    assertEquals("operational", states.get("page"));
    List<Map<String, Object>> unresolved = summary.getList("incidents");
    assertEquals(1, unresolved.size());
    Map<String, Object> incident = unresolved.get(0);
    assertIncidentShape(incident, INCIDENT);
    assertEquals("investigating", incident.get("status"));
    assertNull(incident.get("resolved_at"));
    assertEquals("Unavailable: track (1 minute, ongoing)", incident.get("name"));
    assertEquals(
        unresolved.get(0).get("id"),
        json("/api/v2/incidents/unresolved.json").getList("incidents.id").get(0));

    JsonPath status = json("/api/v2/status.json");
    assertEquals(Set.of("page", "status"), status.getMap("$").keySet());
    assertEquals("major", status.getString("status.indicator"));
    assertEquals(NOW.plusSeconds(60), Instant.parse(status.getString("page.updated_at")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void maintenanceListsByStateAndShowsActiveWindowsAsMaintenance() {
    JsonPath all = json("/api/v2/scheduled-maintenances.json");
    assertEquals(Set.of("page", "scheduled_maintenances"), all.getMap("$").keySet());
    List<Map<String, Object>> windows = all.getList("scheduled_maintenances");
    assertEquals(
        List.of("completed", "scheduled"), windows.stream().map(w -> w.get("status")).toList());
    windows.forEach(w -> assertIncidentShape(w, MAINTENANCE));
    assertEquals("2026-03-07T04:00:00Z", windows.get(0).get("resolved_at"));
    assertEquals(
        List.of("storage migration"),
        json("/api/v2/scheduled-maintenances/upcoming.json")
            .getList("scheduled_maintenances.name"));
    assertEquals(
        List.of(),
        json("/api/v2/scheduled-maintenances/active.json").getList("scheduled_maintenances"));

    clock.set(Instant.parse("2026-03-21T02:30:00Z"));
    JsonPath active = json("/api/v2/scheduled-maintenances/active.json");
    List<Map<String, Object>> now = active.getList("scheduled_maintenances");
    assertEquals(1, now.size());
    assertEquals("in_progress", now.get(0).get("status"));
    assertEquals("2026-03-21T02:00:00Z", now.get(0).get("started_at"));
    JsonPath components = json("/api/v2/components.json");
    assertEquals(Set.of("page", "components"), components.getMap("$").keySet());
    components
        .<Map<String, Object>>getList("components")
        .forEach(c -> assertEquals("under_maintenance", c.get("status")));
    assertEquals("maintenance", json("/api/v2/status.json").getString("status.indicator"));
  }

  static Document xml(String path, String contentType) throws Exception {
    Response r = given().get(path);
    assertEquals(200, r.statusCode(), path);
    assertTrue(r.contentType().startsWith(contentType), path + ": " + r.contentType());
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.asString().getBytes(StandardCharsets.UTF_8)));
  }

  static String text(Element parent, String ns, String name) {
    NodeList nodes =
        ns == null ? parent.getElementsByTagName(name) : parent.getElementsByTagNameNS(ns, name);
    assertTrue(nodes.getLength() > 0, "<" + name + "> in <" + parent.getTagName() + ">");
    return nodes.item(0).getTextContent();
  }

  @Test
  void theRssFeedIsRss2WithIncidentsAndMaintenance() throws Exception {
    Document rss = xml("/status/feed.rss", "application/rss+xml");
    Element root = rss.getDocumentElement();
    assertEquals("rss", root.getTagName());
    assertEquals("2.0", root.getAttribute("version"));
    Element channel = (Element) root.getElementsByTagName("channel").item(0);
    assertEquals("Tributary Data Ingestion API status", text(channel, null, "title"));
    assertTrue(text(channel, null, "link").endsWith("/status"));
    assertFalse(text(channel, null, "description").isBlank());
    DateTimeFormatter.RFC_1123_DATE_TIME.parse(text(channel, null, "lastBuildDate"));
    NodeList items = channel.getElementsByTagName("item");
    assertEquals(5, items.getLength(), "3 incidents and 2 windows");
    List<String> titles = new java.util.ArrayList<>();
    for (int i = 0; i < items.getLength(); i++) {
      Element item = (Element) items.item(i);
      titles.add(text(item, null, "title"));
      assertTrue(text(item, null, "link").contains("/status#"));
      assertEquals(
          "false",
          ((Element) item.getElementsByTagName("guid").item(0)).getAttribute("isPermaLink"));
      DateTimeFormatter.RFC_1123_DATE_TIME.parse(text(item, null, "pubDate"));
      assertFalse(text(item, null, "description").isBlank());
    }
    assertTrue(titles.contains("Unavailable: track (72 minutes)"), titles.toString());
    assertTrue(titles.contains("Scheduled maintenance: storage migration"), titles.toString());
  }

  @Test
  void theAtomFeedIsAtom() throws Exception {
    String ns = "http://www.w3.org/2005/Atom";
    Document atom = xml("/status/feed.atom", "application/atom+xml");
    Element feed = atom.getDocumentElement();
    assertEquals("feed", feed.getLocalName());
    assertEquals(ns, feed.getNamespaceURI());
    assertTrue(text(feed, ns, "id").endsWith("/status/feed.atom"));
    assertEquals("Tributary Data Ingestion API status", text(feed, ns, "title"));
    assertEquals(NOW, Instant.parse(text(feed, ns, "updated")));
    NodeList entries = feed.getElementsByTagNameNS(ns, "entry");
    assertEquals(5, entries.getLength());
    for (int i = 0; i < entries.getLength(); i++) {
      Element entry = (Element) entries.item(i);
      assertFalse(text(entry, ns, "id").isBlank());
      assertFalse(text(entry, ns, "title").isBlank());
      Instant.parse(text(entry, ns, "updated"));
      Element link = (Element) entry.getElementsByTagNameNS(ns, "link").item(0);
      assertTrue(link.getAttribute("href").contains("/status#"));
    }
  }

  @Test
  void theBadgesAreSvgWithReadableText() throws Exception {
    String figure = reportFigure(PlatformStub.UTC_WS, "2026-03");
    Document availability = xml("/status/badge/availability.svg", "image/svg+xml");
    Element svg = availability.getDocumentElement();
    assertEquals("svg", svg.getLocalName());
    assertEquals("img", svg.getAttribute("role"));
    String title = text(svg, "http://www.w3.org/2000/svg", "title");
    assertEquals("availability 2026-03: " + figure + "%", title);
    NodeList texts = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    assertEquals(figure + "%", texts.item(1).getTextContent());

    Document status = xml("/status/badge/status.svg", "image/svg+xml");
    assertEquals(
        "status: all systems operational",
        text(status.getDocumentElement(), "http://www.w3.org/2000/svg", "title"));
  }

  @Test
  void thePlatformFigureIsTheReportApisFigureFloored() {
    // 75 unavailable minutes of 44,490 eligible (31 days less 120 minutes of qualified maintenance
    // and 30 excluded): 99.831422%, floored 99.8314; a UTC workspace without evidence of its own
    // has the same month.
    String figure = reportFigure(PlatformStub.UTC_WS, "2026-03");
    String html = given().get("/status").then().statusCode(200).extract().asString();
    assertTrue(html.contains("<span id=\"availability-value\">" + figure + "</span>"), figure);
    assertEquals("99.8314", figure);
  }

  @Test
  void publicEndpointsNeedNoTokenAndShowNothingSecret() {
    for (String path :
        List.of(
            "/status",
            "/status/style.css",
            "/status/feed.rss",
            "/status/feed.atom",
            "/status/badge/status.svg",
            "/status/badge/availability.svg",
            "/api/v2/summary.json",
            "/api/v2/incidents.json",
            "/api/v2/scheduled-maintenances.json")) {
      String body = given().get(path).then().statusCode(200).extract().asString();
      for (String secret :
          List.of(
              "test-admin-token",
              "test-service-token",
              StatusEvidence.DECLARED_BY,
              "legal@utc.example",
              "Utc Co",
              PlatformStub.UTC_WS,
              "upstream transit loss")) {
        assertFalse(body.contains(secret), path + " shows " + secret);
      }
    }
  }

  @Test
  void theLinkRotationNeedsTheAdminToken() {
    String path = "/admin/v1/workspaces/" + PlatformStub.PACIFIC_WS + "/status-link";
    given().post(path).then().statusCode(401);
    service().post(path).then().statusCode(401);
    admin()
        .post("/admin/v1/workspaces/aaaaaaaa-0000-0000-0000-00000000ffff/status-link")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", org.hamcrest.Matchers.is("not_found"));
  }

  @Test
  void aRotatedLinkReplacesTheOldOneAndOnlyItsHashIsStored() throws Exception {
    String first = rotateLink(PlatformStub.PACIFIC_WS);
    assertTrue(first.matches("/status/w/[A-Za-z0-9_-]{43}"), first);
    given().get(first).then().statusCode(200).header("Cache-Control", "private, no-store");

    String second = rotateLink(PlatformStub.PACIFIC_WS);
    given().get(second).then().statusCode(200);
    String refused =
        given().get(first).then().statusCode(404).contentType("text/html").extract().asString();
    assertTrue(refused.contains("This status link is not valid"));
    given().get("/status/w/" + PlatformStub.PACIFIC_WS).then().statusCode(404);
    given().get("/status/w/" + second.substring(10, 52) + "x").then().statusCode(404);

    String token = second.substring("/status/w/".length());
    var rows =
        pool.query("select workspace_id::text, token_sha256 from sla.status_links")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(10));
    assertEquals(1, rows.rowCount());
    var row = rows.iterator().next();
    assertEquals(PlatformStub.PACIFIC_WS, row.getString(0));
    assertEquals(
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8))),
        row.getString(1));
    assertFalse(row.getString(1).contains(token));
  }

  @Test
  void aLinkWhoseWorkspaceIsGoneOpensNothing() {
    String link = rotateLink(PlatformStub.NEW_WS);
    given().get(link).then().statusCode(200);
    platform.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                    "/internal/v1/workspaces"))
            .atPriority(1)
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson(
                    "[{\"id\": \"%s\", \"name\": \"Utc Co\", \"timeZone\": \"UTC\"}]"
                        .formatted(PlatformStub.UTC_WS))));
    directory.invalidate();
    String page =
        given().get(link).then().statusCode(404).contentType("text/html").extract().asString();
    assertTrue(page.contains("This status link is not valid"));
  }
}
