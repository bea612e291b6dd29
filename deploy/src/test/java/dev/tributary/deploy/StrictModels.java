package dev.tributary.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Kubernetes' own models (io.kubernetes:client-java-api): each generated model's {@code
 * validateJsonElement} rejects a field the API does not define and a missing required field,
 * recursively, before the document is bound.
 */
final class StrictModels {

  /** The built-in kinds the kit uses, by apiVersion/kind. */
  static final Map<String, Class<?>> BUILT_IN =
      Map.ofEntries(
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("batch/v1/Job", V1Job.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
          Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class));

  /** Custom resources, checked by {@link CustomResourcesTest} instead. */
  static final Map<String, String> CUSTOM =
      Map.of(
          "postgresql.cnpg.io/v1/Cluster", "CloudNativePG",
          "postgresql.cnpg.io/v1/Pooler", "CloudNativePG",
          "postgresql.cnpg.io/v1/ScheduledBackup", "CloudNativePG",
          "barmancloud.cnpg.io/v1/ObjectStore", "barman-cloud plugin",
          "monitoring.coreos.com/v1/ServiceMonitor", "Prometheus Operator",
          "monitoring.coreos.com/v1/PrometheusRule", "Prometheus Operator");

  private static final Gson GSON = new Gson();

  private StrictModels() {}

  static String type(Map<String, Object> doc) {
    return doc.get("apiVersion") + "/" + doc.get("kind");
  }

  /**
   * Binds the document to its model, strictly.
   *
   * @throws IllegalArgumentException on an unknown kind, an unknown field or a missing required
   *     field, naming it
   */
  static Object parse(Map<String, Object> doc) {
    Class<?> model = BUILT_IN.get(type(doc));
    if (model == null) {
      throw new IllegalArgumentException("no model for " + type(doc));
    }
    JsonElement json = GSON.toJsonTree(doc);
    try {
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
      return model.getMethod("fromJson", String.class).invoke(null, GSON.toJson(json));
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          type(doc) + " " + Manifests.name(doc) + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
