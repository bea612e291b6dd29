package dev.tributary.deploy;

import static dev.tributary.deploy.Manifests.list;
import static dev.tributary.deploy.Manifests.map;
import static dev.tributary.deploy.Manifests.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The custom resources have what their operators need: CloudNativePG (Cluster, Pooler,
 * ScheduledBackup), the barman-cloud plugin (ObjectStore), the Prometheus Operator (ServiceMonitor,
 * PrometheusRule). Their CRDs are not on this machine, so the fields are checked by name against
 * the operators' documented schemas.
 */
class CustomResourcesTest {

  static Stream<String> overlays() {
    return Manifests.overlays().stream();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyCustomResourceIsKnownAndComplete(String overlay) {
    for (Map<String, Object> doc : Manifests.rendered(overlay)) {
      String type = StrictModels.type(doc);
      if (!StrictModels.BUILT_IN.containsKey(type)) {
        assertTrue(StrictModels.CUSTOM.containsKey(type), overlay + ": unknown resource " + type);
        check(doc, Manifests.rendered(overlay));
      }
    }
  }

  @Test
  void prodRunsThreeInstancesWithPoolerBackupsAndMonitoring() {
    List<Map<String, Object>> docs = Manifests.rendered("prod");
    Map<String, Object> cluster = one(docs, "Cluster");
    assertEquals(3, map(cluster, "spec").get("instances"));
    assertFalse(map(map(map(cluster, "spec"), "postgresql"), "parameters").isEmpty());
    Map<String, Object> plugin = list(map(cluster, "spec"), "plugins").get(0);
    assertEquals("barman-cloud.cloudnative-pg.io", plugin.get("name"));
    assertEquals(Boolean.TRUE, plugin.get("isWALArchiver"));
    assertEquals(name(one(docs, "ObjectStore")), map(plugin, "parameters").get("barmanObjectName"));
    one(docs, "Pooler");
    one(docs, "ScheduledBackup");
    assertEquals(
        Set.of("tributary-sla", "tributary-regulations"),
        ManifestPolicyTest.ofKind(docs, "PrometheusRule").stream()
            .map(Manifests::name)
            .collect(Collectors.toSet()),
        "the SLA alerts and the end-user deletion alert");
    Set<String> monitored =
        ManifestPolicyTest.ofKind(docs, "ServiceMonitor").stream()
            .map(Manifests::name)
            .collect(Collectors.toSet());
    assertEquals(Set.copyOf(Manifests.SERVICES), monitored, "a ServiceMonitor per service");
    // The services read the cluster's own Secret, and nothing references tributary-database.
    for (Map<String, Object> w : ManifestPolicyTest.workloads(docs)) {
      String text = w.toString();
      assertTrue(text.contains(name(cluster) + "-app"), Manifests.id(w));
      assertFalse(text.contains("tributary-database"), Manifests.id(w));
    }
  }

  @Test
  void devRunsOneInstance() {
    assertEquals(1, map(one(Manifests.rendered("dev"), "Cluster"), "spec").get("instances"));
  }

  private static Map<String, Object> one(List<Map<String, Object>> docs, String kind) {
    List<Map<String, Object>> found = ManifestPolicyTest.ofKind(docs, kind);
    assertEquals(1, found.size(), kind + ": " + found.size());
    return found.get(0);
  }

  private static void check(Map<String, Object> doc, List<Map<String, Object>> all) {
    String at = Manifests.id(doc);
    Map<String, Object> spec = map(doc, "spec");
    assertFalse(spec.isEmpty(), at + ": no spec");
    switch (Manifests.kind(doc)) {
      case "Cluster" -> {
        only(
            spec,
            at,
            "instances",
            "storage",
            "walStorage",
            "bootstrap",
            "affinity",
            "resources",
            "postgresql",
            "monitoring",
            "plugins",
            "primaryUpdateStrategy",
            "primaryUpdateMethod",
            "imageName",
            "description");
        assertTrue(spec.get("instances") instanceof Integer n && n >= 1, at + ": instances");
        assertNotNull(map(spec, "storage").get("size"), at + ": storage.size");
        Map<String, Object> initdb = map(map(spec, "bootstrap"), "initdb");
        assertEquals("tributary", initdb.get("database"), at + ": bootstrap.initdb.database");
        assertEquals("tributary", initdb.get("owner"), at + ": bootstrap.initdb.owner");
        map(map(spec, "postgresql"), "parameters")
            .forEach(
                (k, v) ->
                    assertTrue(v instanceof String, at + ": parameter " + k + " must be a string"));
      }
      case "Pooler" -> {
        only(spec, at, "cluster", "instances", "type", "pgbouncer", "template", "monitoring");
        assertNotNull(map(spec, "cluster").get("name"), at + ": cluster.name");
        assertTrue(Set.of("rw", "ro", "r").contains(spec.get("type")), at + ": type");
        assertTrue(
            Set.of("session", "transaction").contains(map(spec, "pgbouncer").get("poolMode")),
            at + ": pgbouncer.poolMode");
        assertClusterExists(all, String.valueOf(map(spec, "cluster").get("name")), at);
        map(map(spec, "pgbouncer"), "parameters")
            .forEach(
                (k, v) ->
                    assertTrue(v instanceof String, at + ": parameter " + k + " must be a string"));
      }
      case "ScheduledBackup" -> {
        only(
            spec,
            at,
            "schedule",
            "cluster",
            "method",
            "pluginConfiguration",
            "backupOwnerReference",
            "immediate",
            "suspend");
        String schedule = String.valueOf(spec.get("schedule"));
        assertEquals(
            6, schedule.split(" ").length, at + ": schedule has six fields (seconds first)");
        assertClusterExists(all, String.valueOf(map(spec, "cluster").get("name")), at);
        assertEquals("plugin", spec.get("method"), at + ": method");
        assertEquals(
            "barman-cloud.cloudnative-pg.io", map(spec, "pluginConfiguration").get("name"));
      }
      case "ObjectStore" -> {
        only(spec, at, "configuration", "retentionPolicy", "instanceSidecarConfiguration");
        Map<String, Object> conf = map(spec, "configuration");
        assertTrue(
            String.valueOf(conf.get("destinationPath")).matches("(s3|gs|https)://.+"),
            at + ": destinationPath");
        Map<String, Object> s3 = map(conf, "s3Credentials");
        for (String key : List.of("accessKeyId", "secretAccessKey")) {
          assertNotNull(map(s3, key).get("name"), at + ": s3Credentials." + key + ".name");
          assertNotNull(map(s3, key).get("key"), at + ": s3Credentials." + key + ".key");
        }
      }
      case "ServiceMonitor" -> {
        only(spec, at, "selector", "endpoints", "namespaceSelector", "jobLabel");
        assertFalse(map(map(spec, "selector"), "matchLabels").isEmpty(), at + ": selector");
        assertFalse(list(spec, "endpoints").isEmpty(), at + ": endpoints");
        for (Map<String, Object> e : list(spec, "endpoints")) {
          assertEquals("/q/metrics", e.get("path"), at + ": path");
          assertNotNull(e.get("port"), at + ": port");
        }
        boolean selectsService =
            ManifestPolicyTest.ofKind(all, "Service").stream()
                .anyMatch(
                    s ->
                        Manifests.strings(map(s, "metadata"), "labels")
                                .entrySet()
                                .containsAll(
                                    Manifests.strings(map(spec, "selector"), "matchLabels")
                                        .entrySet())
                            && list(map(s, "spec"), "ports").stream()
                                .anyMatch(
                                    p ->
                                        list(spec, "endpoints")
                                            .get(0)
                                            .get("port")
                                            .equals(p.get("name"))));
        assertTrue(selectsService, at + ": selects no Service with that port name");
      }
      case "PrometheusRule" -> {
        only(spec, at, "groups");
        assertFalse(list(spec, "groups").isEmpty(), at + ": groups");
        for (Map<String, Object> g : list(spec, "groups")) {
          assertNotNull(g.get("name"), at + ": group name");
          for (Map<String, Object> r : list(g, "rules")) {
            assertNotNull(r.get("expr"), at + ": rule expr");
            assertTrue(r.containsKey("alert") ^ r.containsKey("record"), at + ": alert or record");
          }
        }
      }
      default -> throw new AssertionError("unchecked " + at);
    }
  }

  private static void only(Map<String, Object> spec, String at, String... allowed) {
    Set<String> unknown = new java.util.TreeSet<>(spec.keySet());
    unknown.removeAll(Set.of(allowed));
    assertTrue(unknown.isEmpty(), at + ": fields the operator does not know: " + unknown);
  }

  private static void assertClusterExists(
      List<Map<String, Object>> all, String cluster, String at) {
    assertTrue(
        ManifestPolicyTest.ofKind(all, "Cluster").stream().anyMatch(c -> cluster.equals(name(c))),
        at + ": no Cluster " + cluster);
  }
}
