package dev.catchup.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@code scripts/topology.sh}, streaming what it prints to the log. */
final class TopologyScript {
  private static final Logger log = LoggerFactory.getLogger(TopologyScript.class);
  private static final String RELATIVE = "scripts/topology.sh";

  private final Path script;

  private TopologyScript(Path script) {
    this.script = script;
  }

  /**
   * Finds the script from the {@code catchup.projectRoot} system property (set by the build), else
   * by walking up from the working directory.
   */
  static TopologyScript locate() {
    String root = System.getProperty("catchup.projectRoot");
    if (root != null && Files.isRegularFile(Paths.get(root, RELATIVE))) {
      return new TopologyScript(Paths.get(root, RELATIVE).toAbsolutePath());
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(RELATIVE))) {
        return new TopologyScript(p.resolve(RELATIVE));
      }
    }
    throw new IllegalStateException("cannot find " + RELATIVE + " above "
        + Paths.get("").toAbsolutePath() + "; set -Dcatchup.projectRoot to the repository root");
  }

  /** Runs the script with {@code args}; returns its standard output, throws on non-zero exit. */
  String run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      StringBuilder out = new StringBuilder();
      StringBuilder err = new StringBuilder();
      Thread errPump = pump(p, err, true);
      Thread outPump = pump(p, out, false);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("topology.sh " + String.join(" ", args)
            + " did not finish within " + timeout);
      }
      errPump.join(5_000);
      outPump.join(5_000);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("topology.sh " + String.join(" ", args) + " failed (exit "
            + p.exitValue() + "): " + tail(err.toString()));
      }
      return out.toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running topology.sh", e);
    }
  }

  private static Thread pump(Process p, StringBuilder sink, boolean stderr) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          stderr ? p.getErrorStream() : p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (sink) {
            sink.append(line).append('\n');
          }
          if (stderr) {
            log.info("topology: {}", line);
          }
        }
      } catch (IOException e) {
        log.debug("topology output closed: {}", e.getMessage());
      }
    }, "topology-script-" + (stderr ? "err" : "out"));
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String tail(String s) {
    String trimmed = s.strip();
    return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
  }
}
