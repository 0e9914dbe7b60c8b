package dev.catchup.monitor;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's {@code chromium}, run headless once per page load: {@code --dump-dom} or
 * {@code --screenshot}. Every run gets a fresh profile, so nothing carries over between runs.
 * {@code --virtual-time-budget} lets the page's timers run (virtual time stands still while a
 * request is in flight, so the page's first poll always completes) and then captures.
 */
final class HeadlessChromium {
  private static final Logger log = LoggerFactory.getLogger(HeadlessChromium.class);
  static final String INSTALL = "apt-get install -y --no-install-recommends chromium";
  // Startup alone can take several seconds on a loaded 2-core machine.
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path binary;
  private final Path logDir;
  private final Duration budget;

  private HeadlessChromium(Path binary, Path logDir, Duration budget) {
    this.binary = binary;
    this.logDir = logDir;
    this.budget = budget;
  }

  /**
   * The {@code chromium} on PATH; fails the test (rather than skipping it) when there is none, so a
   * machine without it cannot pass silently.
   *
   * @param logDir where each run's stderr goes, for diagnosis
   * @param budget virtual time the page runs before the capture
   */
  static HeadlessChromium onPath(Path logDir, Duration budget) throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "chromium");
      if (Files.isExecutable(candidate)) {
        Files.createDirectories(logDir);
        return new HeadlessChromium(candidate, logDir, budget);
      }
    }
    return fail("chromium is not on PATH (" + System.getenv("PATH") + "); the status page test needs "
        + "it. Install it with: " + INSTALL);
  }

  /** The DOM after the page's script ran, serialised. */
  String dumpDom(String url) throws Exception {
    return new String(run("dump-dom", url, "--dump-dom"), StandardCharsets.UTF_8);
  }

  /** Writes a PNG of the viewport to {@code png}. */
  void screenshot(String url, Path png) throws Exception {
    Files.deleteIfExists(png);
    run("screenshot", url, "--screenshot=" + png.toAbsolutePath());
    if (!Files.isRegularFile(png)) {
      fail("chromium wrote no screenshot to " + png + "; see " + logDir.resolve("screenshot.log"));
    }
  }

  private byte[] run(String name, String url, String action) throws Exception {
    Path profile = Files.createTempDirectory("catchup-chromium-");
    Path stdout = logDir.resolve(name + ".out");
    Path stderr = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        // Containers often have a small /dev/shm; the renderer crashes when it fills up.
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1280,900",
        "--virtual-time-budget=" + budget.toMillis(), action, url));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("chromium --" + name + " did not finish within " + TIMEOUT + "; stderr:\n" + tail(stderr));
      }
      if (p.exitValue() != 0) {
        fail("chromium --" + name + " exited with " + p.exitValue() + "; stderr:\n" + tail(stderr));
      }
      log.info("chromium {} of {} took {} ms", name, url,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return Files.readAllBytes(stdout);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      deleteQuietly(profile);
    }
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** Best effort: a helper process that is still exiting may recreate a file as we go. */
  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      log.debug("could not remove {}: {}", dir, e.toString());
    }
  }
}
