package dev.tributary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** k8s/<service>.yml is exactly what the build generates (scripts/k8s-manifests.sh). */
class GeneratedManifestsTest {

  static final String FIX = "run scripts/k8s-manifests.sh and commit k8s/";

  static Stream<String> services() {
    return Manifests.SERVICES.stream();
  }

  @ParameterizedTest
  @MethodSource("services")
  void committedManifestIsTheGeneratedOne(String service) throws IOException {
    Path generated = Manifests.ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml");
    assertTrue(
        Files.isRegularFile(generated),
        generated + " is missing: build " + service + " first (./mvnw verify builds it)");
    Path committed = Manifests.generatedFile(service);
    assertTrue(Files.isRegularFile(committed), committed + " is missing: " + FIX);
    String header =
        Files.readString(committed)
            .lines()
            .takeWhile(l -> l.startsWith("#"))
            .collect(Collectors.joining("\n"));
    assertTrue(header.contains("Do not edit"), committed + " lacks its header: " + FIX);
    assertTrue(header.contains("scripts/k8s-manifests.sh"), committed + ": " + FIX);
    String body =
        Files.readString(committed)
            .lines()
            .dropWhile(l -> l.startsWith("#"))
            .collect(Collectors.joining("\n", "", "\n"));
    // Quarkus 3.34 sometimes orders a resource's labels differently from one build to the next
    // (same labels, same values): YAML mappings are compared as mappings, everything else exactly.
    assertEquals(
        Manifests.documents(Files.readString(generated)),
        Manifests.documents(body),
        committed + " differs from what the build generates (" + generated + "): " + FIX);
  }

  /**
   * The Flyway Job is written by hand in src/main/kubernetes/kubernetes.yml (the extension's own
   * init task is off): it must run the image the Deployment runs, bumped with the version.
   */
  @ParameterizedTest
  @MethodSource("services")
  void flywayJobRunsTheServiceImage(String service) {
    List<Map<String, Object>> docs = Manifests.generated(service);
    String deployment = image(docs, "Deployment", service);
    assertEquals(
        deployment,
        image(docs, "Job", service + "-flyway-init"),
        service + "/src/main/kubernetes/kubernetes.yml: the Flyway Job's image");
  }

  private static String image(List<Map<String, Object>> docs, String kind, String name) {
    Map<String, Object> doc =
        docs.stream()
            .filter(d -> kind.equals(Manifests.kind(d)) && name.equals(Manifests.name(d)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    return String.valueOf(Manifests.list(Manifests.podSpec(doc), "containers").get(0).get("image"));
  }
}
