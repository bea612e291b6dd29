package dev.tributary.deploy;

import static dev.tributary.deploy.Manifests.allContainers;
import static dev.tributary.deploy.Manifests.id;
import static dev.tributary.deploy.Manifests.kind;
import static dev.tributary.deploy.Manifests.list;
import static dev.tributary.deploy.Manifests.map;
import static dev.tributary.deploy.Manifests.podLabels;
import static dev.tributary.deploy.Manifests.podSpec;
import static dev.tributary.deploy.Manifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What kube-linter, kube-score and Polaris check, on the generated manifests and every rendered
 * overlay: image tags, resources, probes, the security context, no literal secrets in env,
 * selectors, Services, and in prod NetworkPolicies and a PDB for what scales.
 */
class ManifestPolicyTest {

  /** Env names that hold credentials: they must come from a Secret, never a literal value. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|TOKEN|SECRET|CREDENTIAL|API_KEY|ACCESS_KEY|AUTH).*");

  record Source(String name, List<Map<String, Object>> docs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Source> sources() {
    Stream<Source> generated =
        Manifests.SERVICES.stream()
            .map(s -> new Source("k8s/" + s + ".yml", Manifests.generated(s)));
    return generated;
  }

  static Stream<String> overlays() {
    return Manifests.overlays().stream();
  }

  @ParameterizedTest
  @MethodSource("sources")
  void generatedManifestPassesTheLinters(Source source) {
    checkAll(source.name, source.docs);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void renderedOverlayPassesTheLinters(String overlay) {
    checkAll("deploy/overlays/" + overlay, Manifests.rendered(overlay));
  }

  @Test
  void prodCoversEveryPodWithANetworkPolicyAndDeniesByDefault() {
    List<Map<String, Object>> docs = Manifests.rendered("prod");
    List<Map<String, Object>> policies = ofKind(docs, "NetworkPolicy");
    assertTrue(
        policies.stream()
            .anyMatch(
                p ->
                    map(map(p, "spec"), "podSelector").isEmpty()
                        && ((List<?>) map(p, "spec").get("policyTypes"))
                            .containsAll(List.of("Ingress", "Egress"))
                        && !map(p, "spec").containsKey("ingress")
                        && !map(p, "spec").containsKey("egress")),
        "a default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
    for (Map<String, Object> workload : workloads(docs)) {
      Map<String, String> labels = podLabels(workload);
      assertTrue(
          policies.stream().anyMatch(p -> selects(map(map(p, "spec"), "podSelector"), labels)),
          id(workload) + " has no NetworkPolicy");
    }
    // Each service's pods also get a policy of their own that admits traffic on 8080.
    for (String service : Manifests.SERVICES) {
      Map<String, String> labels = Map.of("app.kubernetes.io/name", service);
      assertTrue(
          policies.stream()
              .anyMatch(
                  p ->
                      !map(map(p, "spec"), "podSelector").isEmpty()
                          && selects(map(map(p, "spec"), "podSelector"), labels)
                          && !list(map(p, "spec"), "ingress").isEmpty()),
          service + " has no ingress NetworkPolicy");
    }
  }

  @Test
  void prodHasAPodDisruptionBudgetForWhatScales() {
    List<Map<String, Object>> docs = Manifests.rendered("prod");
    List<Map<String, Object>> hpas = ofKind(docs, "HorizontalPodAutoscaler");
    assertFalse(hpas.isEmpty(), "prod scales ingestion-api with an HPA");
    for (Map<String, Object> hpa : hpas) {
      String target = String.valueOf(map(map(hpa, "spec"), "scaleTargetRef").get("name"));
      Map<String, Object> workload = find(docs, "Deployment", target);
      assertNotNull(workload, id(hpa) + " scales a missing Deployment " + target);
      assertTrue(
          ofKind(docs, "PodDisruptionBudget").stream()
              .anyMatch(pdb -> selects(map(map(pdb, "spec"), "selector"), podLabels(workload))),
          "no PodDisruptionBudget for " + target);
    }
    for (Map<String, Object> d : ofKind(docs, "Deployment")) {
      Object replicas = map(d, "spec").get("replicas");
      if (replicas instanceof Integer n && n > 1) {
        assertTrue(
            ofKind(docs, "PodDisruptionBudget").stream()
                .anyMatch(pdb -> selects(map(map(pdb, "spec"), "selector"), podLabels(d))),
            "no PodDisruptionBudget for " + id(d) + " with " + n + " replicas");
      }
    }
  }

  @Test
  void prodExposesOnlyTheTrackingApi() {
    List<Map<String, Object>> docs = Manifests.rendered("prod");
    List<Map<String, Object>> ingresses = ofKind(docs, "Ingress");
    assertEquals(1, ingresses.size());
    for (Map<String, Object> rule : list(map(ingresses.get(0), "spec"), "rules")) {
      for (Map<String, Object> path : list(map(rule, "http"), "paths")) {
        assertEquals("/v1/", path.get("path"));
        assertEquals("Prefix", path.get("pathType"));
        assertEquals("ingestion-api", map(map(path, "backend"), "service").get("name"), "backend");
      }
    }
  }

  // --- the checks -------------------------------------------------------------------------------

  private static void checkAll(String source, List<Map<String, Object>> docs) {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> workload : workloads(docs)) {
      checkWorkload(workload, problems);
    }
    checkServices(docs, problems);
    checkNames(docs, problems);
    assertTrue(problems.isEmpty(), source + ":\n  " + String.join("\n  ", problems));
  }

  private static void checkWorkload(Map<String, Object> w, List<String> problems) {
    String at = id(w);
    Map<String, Object> pod = podSpec(w);
    Map<String, Object> podSecurity = map(pod, "securityContext");
    if ("Deployment".equals(kind(w))) {
      Map<String, Object> selector = map(map(w, "spec"), "selector");
      if (!selects(selector, podLabels(w))) {
        problems.add(at + ": selector " + selector + " does not match its pods " + podLabels(w));
      }
      if (strings(selector, "matchLabels").containsKey("app.kubernetes.io/version")) {
        problems.add(at + ": the version is in the immutable selector");
      }
      Object grace = pod.get("terminationGracePeriodSeconds");
      if (!(grace instanceof Integer g) || g <= 40) {
        problems.add(at + ": terminationGracePeriodSeconds must exceed shutdown delay + timeout");
      }
    }
    Set<String> volumes = new HashSet<>();
    for (Map<String, Object> v : list(pod, "volumes")) {
      if (!volumes.add(String.valueOf(v.get("name")))) {
        problems.add(at + ": volume " + v.get("name") + " twice");
      }
    }
    for (Map<String, Object> c : allContainers(pod)) {
      String cat = at + " container " + c.get("name");
      String image = String.valueOf(c.get("image"));
      String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
      if (tag.isEmpty() || tag.equals("latest") || tag.contains("/")) {
        problems.add(cat + ": image " + image + " has no fixed tag");
      }
      Map<String, Object> resources = map(c, "resources");
      for (String part : List.of("requests", "limits")) {
        for (String res : List.of("cpu", "memory")) {
          if (!map(resources, part).containsKey(res)) {
            problems.add(cat + ": no " + part + "." + res);
          }
        }
      }
      Map<String, Object> sc = map(c, "securityContext");
      boolean nonRoot =
          Boolean.TRUE.equals(sc.get("runAsNonRoot"))
              || Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"));
      Object uid = sc.containsKey("runAsUser") ? sc.get("runAsUser") : podSecurity.get("runAsUser");
      if (!nonRoot || Integer.valueOf(0).equals(uid)) {
        problems.add(cat + ": may run as root");
      }
      if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
        problems.add(cat + ": root filesystem is writable");
      }
      if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
        problems.add(cat + ": privilege escalation allowed");
      }
      if (Boolean.TRUE.equals(sc.get("privileged"))) {
        problems.add(cat + ": privileged");
      }
      Object drop = map(sc, "capabilities").get("drop");
      if (!(drop instanceof List<?> l && l.contains("ALL"))
          || map(sc, "capabilities").containsKey("add")) {
        problems.add(cat + ": capabilities not all dropped");
      }
      Object seccomp =
          map(sc, "seccompProfile").isEmpty()
              ? map(podSecurity, "seccompProfile").get("type")
              : map(sc, "seccompProfile").get("type");
      if (!"RuntimeDefault".equals(seccomp)) {
        problems.add(cat + ": seccompProfile is not RuntimeDefault");
      }
      for (Map<String, Object> env : list(c, "env")) {
        String name = String.valueOf(env.get("name"));
        if (env.containsKey("value") && SECRET_NAME.matcher(name).matches()) {
          problems.add(cat + ": literal value for " + name);
        }
      }
      boolean isMain = list(pod, "containers").contains(c) && "Deployment".equals(kind(w));
      if (isMain) {
        Map<String, Object> live = map(c, "livenessProbe");
        Map<String, Object> ready = map(c, "readinessProbe");
        if (live.isEmpty() || ready.isEmpty() || map(c, "startupProbe").isEmpty()) {
          problems.add(cat + ": liveness, readiness and startup probes needed");
        } else if (live.equals(ready)) {
          problems.add(cat + ": readiness is the same as liveness");
        }
        if (!"/q/health/live".equals(map(live, "httpGet").get("path"))
            || !"/q/health/ready".equals(map(ready, "httpGet").get("path"))
            || !"/q/health/started".equals(map(map(c, "startupProbe"), "httpGet").get("path"))) {
          problems.add(cat + ": probes must be /q/health/live, /ready and /started");
        }
        boolean tmp =
            list(c, "volumeMounts").stream().anyMatch(m -> "/tmp".equals(m.get("mountPath")));
        if (!tmp) {
          problems.add(cat + ": no writable /tmp");
        }
      }
    }
  }

  private static void checkServices(List<Map<String, Object>> docs, List<String> problems) {
    for (Map<String, Object> service : ofKind(docs, "Service")) {
      Map<String, String> selector = strings(map(service, "spec"), "selector");
      boolean selectsOne =
          !selector.isEmpty()
              && workloads(docs).stream()
                  .anyMatch(w -> podLabels(w).entrySet().containsAll(selector.entrySet()));
      if (!selectsOne) {
        problems.add(id(service) + ": selects no workload (" + selector + ")");
      }
      for (Map<String, Object> w : ofKind(docs, "Job")) {
        if (!selector.isEmpty() && podLabels(w).entrySet().containsAll(selector.entrySet())) {
          problems.add(id(service) + " also selects the pods of " + id(w));
        }
      }
    }
    for (Map<String, Object> p : ofKind(docs, "PodDisruptionBudget")) {
      Map<String, Object> selector = map(map(p, "spec"), "selector");
      if (workloads(docs).stream().noneMatch(w -> selects(selector, podLabels(w)))) {
        problems.add(id(p) + ": selects no workload");
      }
    }
  }

  private static void checkNames(List<Map<String, Object>> docs, List<String> problems) {
    Set<String> seen = new HashSet<>();
    for (Map<String, Object> doc : docs) {
      if (!seen.add(id(doc))) {
        problems.add(id(doc) + " twice");
      }
    }
    for (Map<String, Object> role : ofKind(docs, "Role")) {
      if ("view-jobs".equals(Manifests.name(role))) {
        problems.add("Role view-jobs: the name collides between services");
      }
    }
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(kind(d))).toList();
  }

  static List<Map<String, Object>> workloads(List<Map<String, Object>> docs) {
    return docs.stream().filter(Manifests::isWorkload).toList();
  }

  static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(kind(d)) && name.equals(Manifests.name(d)))
        .findFirst()
        .orElse(null);
  }

  /** A label selector (matchLabels and matchExpressions In/NotIn/Exists) against pod labels. */
  static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
    Map<String, String> match = strings(selector, "matchLabels");
    List<Map<String, Object>> expressions = list(selector, "matchExpressions");
    if (match.isEmpty() && expressions.isEmpty()) {
      return true;
    }
    if (!labels.entrySet().containsAll(match.entrySet())) {
      return false;
    }
    for (Map<String, Object> e : expressions) {
      String key = String.valueOf(e.get("key"));
      List<?> values = e.get("values") instanceof List<?> l ? l : List.of();
      boolean ok =
          switch (String.valueOf(e.get("operator"))) {
            case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Test
  void selectorsMatchAsKubernetesDoes() {
    Map<String, String> pod = Map.of("app.kubernetes.io/name", "notice-service");
    assertTrue(
        selects(Map.of("matchLabels", Map.of("app.kubernetes.io/name", "notice-service")), pod));
    assertFalse(selects(Map.of("matchLabels", Map.of("app.kubernetes.io/name", "sla")), pod));
    assertTrue(
        selects(
            Map.of(
                "matchExpressions",
                List.of(
                    Map.of(
                        "key", "app.kubernetes.io/name",
                        "operator", "In",
                        "values", List.of("sla-evaluator", "notice-service")))),
            pod));
    assertNotEquals(Map.of(), pod);
  }
}
