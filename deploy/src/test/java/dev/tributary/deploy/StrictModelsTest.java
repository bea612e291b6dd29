package dev.tributary.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest binds to Kubernetes' models with no unknown and no missing required field. */
class StrictModelsTest {

  static Stream<String> services() {
    return Manifests.SERVICES.stream();
  }

  static Stream<String> overlays() {
    return Manifests.overlays().stream();
  }

  @ParameterizedTest
  @MethodSource("services")
  void generatedManifestBindsStrictly(String service) {
    List<Map<String, Object>> docs = Manifests.generated(service);
    assertFalse(docs.isEmpty());
    docs.forEach(StrictModels::parse);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void renderedOverlayBindsStrictly(String overlay) {
    for (Map<String, Object> doc : Manifests.rendered(overlay)) {
      String type = StrictModels.type(doc);
      if (StrictModels.CUSTOM.containsKey(type)) {
        continue; // CustomResourcesTest
      }
      assertTrue(StrictModels.BUILT_IN.containsKey(type), overlay + ": unexpected " + type);
      StrictModels.parse(doc);
    }
  }

  @Test
  void aWellFormedDeploymentBinds() {
    assertInstanceOf(V1Deployment.class, StrictModels.parse(deployment("replicas")));
  }

  @Test
  void aTypoedFieldIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> StrictModels.parse(deployment("replica")));
    assertTrue(e.getMessage().contains("replica"), e.getMessage());
  }

  @Test
  void aTypoedNestedFieldIsRejected() {
    Map<String, Object> doc = deployment("replicas");
    Manifests.list(Manifests.podSpec(doc), "containers").get(0).put("imagePullPolicyy", "Always");
    assertThrows(IllegalArgumentException.class, () -> StrictModels.parse(doc));
  }

  @Test
  void aMissingRequiredFieldIsRejected() {
    Map<String, Object> doc = deployment("replicas");
    Manifests.list(Manifests.podSpec(doc), "containers").get(0).remove("name");
    assertThrows(IllegalArgumentException.class, () -> StrictModels.parse(doc));
  }

  private static Map<String, Object> deployment(String replicasField) {
    return Manifests.documents(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: probe
            spec:
              %s: 1
              selector:
                matchLabels:
                  app: probe
              template:
                metadata:
                  labels:
                    app: probe
                spec:
                  containers:
                    - name: probe
                      image: tributary/probe:1
            """
                .formatted(replicasField))
        .get(0);
  }
}
