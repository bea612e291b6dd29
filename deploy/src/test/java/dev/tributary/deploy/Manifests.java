package dev.tributary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The manifests under test: the generated {@code k8s/<service>.yml} and every overlay under {@code
 * deploy/overlays/} rendered by {@code kubectl kustomize}. Rendering works on a copy of {@code
 * k8s/} and {@code deploy/} in which each missing secret file is its committed {@code *.example}
 * template, so a clean clone renders too.
 */
final class Manifests {

  static final List<String> SERVICES = List.of("ingestion-api", "sla-evaluator", "notice-service");
  static final Path ROOT = findRoot();

  private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
  private static Path copy;

  private Manifests() {}

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("k8s"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no k8s/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path generatedFile(String service) {
    return ROOT.resolve("k8s").resolve(service + ".yml");
  }

  /** The documents of one YAML file or stream, empty documents left out. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (doc != null) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  static List<Map<String, Object>> generated(String service) {
    try {
      return documents(Files.readString(generatedFile(service)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every overlay directory with a kustomization.yaml, by name. */
  static List<String> overlays() {
    try (Stream<Path> dirs = Files.list(ROOT.resolve("deploy/overlays"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean kubectlPresent() {
    try {
      Process p =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The rendered overlay; skips the calling test (assumption) where kubectl is missing. */
  static List<Map<String, Object>> rendered(String overlay) {
    assumeTrue(kubectlPresent(), "kubectl is not installed: overlays are not rendered");
    return RENDERED.computeIfAbsent(overlay, Manifests::render);
  }

  private static List<Map<String, Object>> render(String overlay) {
    try {
      Path dir = copyTree().resolve("deploy/overlays").resolve(overlay);
      Process p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("kubectl kustomize deploy/overlays/" + overlay + " failed: " + err);
      }
      return documents(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static synchronized Path copyTree() throws IOException {
    if (copy == null) {
      Path target = Files.createTempDirectory("tributary-kustomize");
      for (String top : List.of("k8s", "deploy")) {
        Path from = ROOT.resolve(top);
        try (Stream<Path> files = Files.walk(from)) {
          for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
            Path rel = ROOT.relativize(f);
            if (rel.startsWith(Path.of("deploy", "target")) || rel.startsWith("deploy/src")) {
              continue;
            }
            Path to = target.resolve(rel.toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(to);
            } else {
              Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
      try (Stream<Path> files = Files.walk(target.resolve("deploy"))) {
        for (Path example : files.filter(f -> f.toString().endsWith(".env.example")).toList()) {
          Path real = Path.of(example.toString().replaceFirst("\\.example$", ""));
          if (!Files.exists(real)) {
            Files.copy(example, real);
          }
        }
      }
      copy = target;
    }
    return copy;
  }

  // --- Navigation in the untyped documents ----------------------------------------------------

  static String kind(Map<String, Object> doc) {
    return String.valueOf(doc.get("kind"));
  }

  static String name(Map<String, Object> doc) {
    return String.valueOf(map(doc, "metadata").get("name"));
  }

  static String id(Map<String, Object> doc) {
    return kind(doc) + "/" + name(doc);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent == null ? null : parent.get(key);
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent == null ? null : parent.get(key);
    return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> strings(Map<String, Object> parent, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    map(parent, key).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  /** The pod template's spec of a workload, or of a Pod. */
  static Map<String, Object> podSpec(Map<String, Object> doc) {
    String kind = kind(doc);
    if (Set.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(kind)) {
      return map(map(map(doc, "spec"), "template"), "spec");
    }
    if (kind.equals("CronJob")) {
      Map<String, Object> job = map(map(map(doc, "spec"), "jobTemplate"), "spec");
      return map(map(job, "template"), "spec");
    }
    return kind.equals("Pod") ? map(doc, "spec") : null;
  }

  static Map<String, String> podLabels(Map<String, Object> doc) {
    return strings(map(map(map(doc, "spec"), "template"), "metadata"), "labels");
  }

  static boolean isWorkload(Map<String, Object> doc) {
    return podSpec(doc) != null;
  }

  static List<Map<String, Object>> allContainers(Map<String, Object> podSpec) {
    List<Map<String, Object>> all = new ArrayList<>(list(podSpec, "initContainers"));
    all.addAll(list(podSpec, "containers"));
    return all;
  }

  static void assertSameSize(int expected, List<?> actual, String what) {
    assertEquals(expected, actual.size(), what + ": " + actual);
  }
}
