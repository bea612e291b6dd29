package dev.tributary.notice.rest;

import static dev.tributary.notice.Notices.PROBLEM_JSON;
import static dev.tributary.notice.Notices.all;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.maintenance;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.IngestionApiStub.Directory;
import dev.tributary.notice.IngestionApiStub.InjectIngestionApi;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A notice to a directory of several pages: every workspace and contact gets its rows, written in
 * chunks of one transaction, so a failure half-way leaves nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class LargeAudienceTest {

  private static final int WORKSPACES = 2500;
  private static final int CONTACTS = 2;

  @InjectIngestionApi Directory directory;
  @Inject TestClock clock;
  @Inject Pool pool;

  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void largeDirectory() {
    clock.set(TestClock.MONDAY);
    directory.set(IngestionApiStub.generated(WORKSPACES, CONTACTS));
  }

  /** The deliveries would otherwise wait for the next test that drains the outbox. */
  @AfterEach
  void removeTheNotices() {
    directory.reset();
    for (String id : created) {
      UUID notice = UUID.fromString(id);
      sql("delete from notice.deliveries where notice_id = $1", notice);
      sql("delete from notice.notice_recipients where notice_id = $1", notice);
      sql("delete from notice.notices where id = $1", notice);
    }
    created.clear();
  }

  @Test
  void aMaintenanceNoticeReachesEveryWorkspaceOfEveryPage() {
    String id =
        create(maintenance(all(), "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"))
            .statusCode(201)
            .body("recipients", is(WORKSPACES))
            .body("deliveries", is(WORKSPACES * CONTACTS))
            .extract()
            .path("id");
    created.add(id);

    UUID notice = UUID.fromString(id);
    assertEquals(
        WORKSPACES,
        count("select count(*) from notice.notice_recipients where notice_id = $1", notice));
    assertEquals(
        WORKSPACES * CONTACTS,
        count(
            "select count(distinct address) from notice.deliveries"
                + " where notice_id = $1 and stage = 'NOTICE' and status = 'PENDING'",
            notice));
    assertEquals(
        WORKSPACES * CONTACTS,
        count(
            "select count(*) from notice.deliveries where notice_id = $1 and stage = 'REMINDER'"
                + " and next_attempt_at = '2026-03-09T10:00:00Z'",
            notice));
    assertEquals(
        1,
        count(
            "select count(*) from notice.deliveries"
                + " where notice_id = $1 and stage = 'NOTICE' and address = $2",
            notice,
            IngestionApiStub.generatedEmail(WORKSPACES, CONTACTS)));
  }

  /**
   * The database refuses the delivery of the very last workspace, after the notice, every recipient
   * and the first chunks of deliveries were inserted: the request fails and nothing of the notice
   * is left.
   */
  @Test
  void aFailureHalfWayThroughLeavesNothingBehind() {
    long notices = count("select count(*) from notice.notices");
    long recipients = count("select count(*) from notice.notice_recipients");
    long deliveries = count("select count(*) from notice.deliveries");
    sql(
        "create function notice.refuse_delivery() returns trigger language plpgsql as"
            + " $$ begin raise exception 'refused by the test'; end; $$");
    sql(
        "create trigger refuse_delivery before insert on notice.deliveries for each row"
            + " when (new.address = '"
            + IngestionApiStub.generatedEmail(WORKSPACES, CONTACTS)
            + "') execute function notice.refuse_delivery()");
    try {
      create(maintenance(all(), "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"))
          .statusCode(500)
          .contentType(PROBLEM_JSON)
          .body("code", is("internal_error"));
    } finally {
      sql("drop trigger refuse_delivery on notice.deliveries");
      sql("drop function notice.refuse_delivery()");
    }
    assertEquals(notices, count("select count(*) from notice.notices"));
    assertEquals(recipients, count("select count(*) from notice.notice_recipients"));
    assertEquals(deliveries, count("select count(*) from notice.deliveries"));
  }

  private long count(String query, Object... parameters) {
    Row row =
        pool.preparedQuery(query)
            .execute(Tuple.from(parameters))
            .await()
            .atMost(Duration.ofSeconds(30))
            .iterator()
            .next();
    return row.getLong(0);
  }

  private void sql(String statement, Object... parameters) {
    (parameters.length == 0
            ? pool.query(statement).execute()
            : pool.preparedQuery(statement).execute(Tuple.from(parameters)))
        .await()
        .atMost(Duration.ofSeconds(30));
  }
}
