package dev.tributary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The programs the library interop tests run, made available by {@code scripts/test-tools.sh}
 * (installed from the machine's package sources when missing), so {@code ./mvnw verify} needs
 * nothing set up by hand.
 */
public final class TestTools {

  /** Chromium and the ChromeDriver of the same build. */
  public record Chromium(Path browser, Path driver) {}

  /** Installing packages the first time on a slow network can take minutes. */
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

  private static Chromium chromium;
  private static Path node;

  private TestTools() {}

  public static synchronized Chromium chromium() {
    if (chromium == null) {
      Map<String, String> env = ProjectScripts.run(INSTALL_TIMEOUT, "test-tools.sh", "chromium");
      chromium = new Chromium(Path.of(env.get("CHROMIUM")), Path.of(env.get("CHROMEDRIVER")));
    }
    return chromium;
  }

  public static synchronized Path node() {
    if (node == null) {
      node = Path.of(ProjectScripts.run(INSTALL_TIMEOUT, "test-tools.sh", "node").get("NODE"));
    }
    return node;
  }

  /**
   * An npm project of the test sources (e.g. {@code src/test/js/browser}), copied to {@code
   * target/js/<name>} with its packages installed and its {@code build} script run; answers the
   * copy. Installed packages are kept there for the next run.
   */
  public static synchronized Path npmProject(String sourceDir) {
    Path source = Path.of(sourceDir).toAbsolutePath();
    Path target = Path.of("target", "js", source.getFileName().toString()).toAbsolutePath();
    copyFiles(source, target);
    Map<String, String> env =
        ProjectScripts.run(INSTALL_TIMEOUT, "test-tools.sh", "npm-install", target.toString());
    node = Path.of(env.get("NODE"));
    return target;
  }

  /** The files of {@code source}, not its node_modules, into {@code target}. */
  private static void copyFiles(Path source, Path target) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path relative = source.relativize(file);
        if (relative.startsWith("node_modules")) {
          continue;
        }
        Path destination = target.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
    }
  }
}
