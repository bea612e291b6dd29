package dev.tributary.ingestion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V6 on a database with events: the rows of the V5 table survive as one partition, recent
 * messageIds stay deduplicated, and the new table takes new rows. Runs the migrations in a schema
 * of its own, so the service's schema is untouched.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PartitioningMigrationTest {

  static final String SCHEMA = "ingestion_migration_test";

  private static String setting(String key) {
    return ConfigProvider.getConfig().getValue(key, String.class);
  }

  private static Flyway flyway(String target) {
    return Flyway.configure()
        .dataSource(
            setting("quarkus.datasource.jdbc.url"),
            setting("quarkus.datasource.username"),
            setting("quarkus.datasource.password"))
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .locations("classpath:db/migration")
        .cleanDisabled(false)
        .target(target)
        .load();
  }

  private static Connection connect() throws SQLException {
    Connection connection =
        DriverManager.getConnection(
            setting("quarkus.datasource.jdbc.url"),
            setting("quarkus.datasource.username"),
            setting("quarkus.datasource.password"));
    try (Statement statement = connection.createStatement()) {
      statement.execute("set search_path = " + SCHEMA);
    }
    return connection;
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("drop schema if exists " + SCHEMA + " cascade");
    }
  }

  @Test
  void existingRowsSurviveAsAPartitionAndRecentOnesStayDeduplicated() throws SQLException {
    flyway("5").migrate();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          """
          insert into events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
          select '00000000-0000-0000-0000-000000000001'::uuid, 'old-' || g,
                 '00000000-0000-0000-0000-000000000002'::uuid, 'track',
                 now() - interval '30 days' + g * interval '1 second', now(), '{}'::jsonb
          from generate_series(1, 500) g
          union all
          select '00000000-0000-0000-0000-000000000001'::uuid, 'recent',
                 '00000000-0000-0000-0000-000000000002'::uuid, 'track', now() - interval '1 hour', now(),
                 '{"kept": true}'::jsonb
          """);
    }

    flyway("latest").migrate();

    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertEquals(
          List.of("events_before_partitioning:501"),
          strings(
              statement,
              "select tableoid::regclass::text || ':' || count(*) from events group by tableoid"));
      assertEquals(
          List.of("true"),
          strings(statement, "select payload ->> 'kept' from events where message_id = 'recent'"));
      assertEquals(
          List.of("recent"),
          strings(statement, "select message_id from event_dedup"),
          "the last 48 hours' messageIds are in the dedup table");
      // A retry of the recent messageId: the dedup key refuses it, as the primary key did.
      assertThrows(
          SQLException.class,
          () ->
              statement.execute(
                  "insert into event_dedup values ('00000000-0000-0000-0000-000000000001',"
                      + " 'recent', now())"));
      statement.execute(
          """
          insert into events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
          values ('00000000-0000-0000-0000-000000000001', 'next-week', '00000000-0000-0000-0000-000000000002',
                  'track', now() + interval '5 days', now(), '{}')
          """);
      assertEquals(
          List.of("next-week"),
          strings(
              statement,
              "select message_id from events where tableoid::regclass::text like 'events_p%'"),
          "a day partition of the week ahead, not the default partition");
    }
  }

  private static List<String> strings(Statement statement, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
