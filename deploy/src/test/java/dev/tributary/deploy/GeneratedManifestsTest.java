package dev.tributary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertEquals(
        Files.readString(generated),
        body,
        committed + " differs from what the build generates (" + generated + "): " + FIX);
  }
}
