package dev.catchup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The launcher script as a shell user runs it. */
class TopologyScriptIT {
  @TempDir
  Path tmp;

  /**
   * Issue 10.11: servers must not inherit the caller's open descriptors. A caller that holds a
   * {@code flock} while it runs {@code up} and then exits must leave the lock free, although the
   * servers it started live on. (Java's own child processes inherit nothing, so the caller here
   * is a shell, as a person or CI script would be.)
   */
  @ParameterizedTest
  @EnumSource(Flavor.class)
  void up_underACallersLock_leavesTheLockFreeOnceTheCallerExits(Flavor flavor) throws Exception {
    TopologyScript script = TopologyScript.locate();
    script.run(Duration.ofMinutes(10), "install", Topology.cliName(flavor));
    Path lock = tmp.resolve("caller.lock");
    Path dir = tmp.resolve("topo");
    // fd 9 holds the lock, as `exec 9>lock; flock 9` in a script would; topology.sh inherits it.
    Process caller = new ProcessBuilder("bash", "-c",
        "exec 9>\"$0\" && flock -n 9 && exec bash \"$1\" up --flavor \"$2\" --dir \"$3\" --replicas 0",
        lock.toString(), scriptPath(), Topology.cliName(flavor), dir.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("up.log").toFile()).start();
    try {
      assertThat(caller.waitFor(10, TimeUnit.MINUTES)).as("up finished").isTrue();
      assertThat(caller.exitValue()).as("up exit code; log:\n%s", log()).isZero();
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(dir.resolve("topology.properties"))) {
        props.load(r);
      }
      long pid = Long.parseLong(props.getProperty("primary.pid"));
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("primary running").contains(true);
      Process probe = new ProcessBuilder("flock", "-n", lock.toString(), "true").start();
      assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(probe.exitValue()).as("flock -n on the caller's lock file while the servers run")
          .isZero();
    } finally {
      caller.destroyForcibly();
      script.run(Duration.ofMinutes(2), "down", "--dir", dir.toString());
    }
  }

  private String log() throws IOException {
    return Files.readString(tmp.resolve("up.log"));
  }

  private static String scriptPath() {
    String root = System.getProperty("catchup.projectRoot");
    Path p = root != null ? Path.of(root, "scripts/topology.sh") : null;
    for (Path d = Path.of("").toAbsolutePath(); (p == null || !Files.isRegularFile(p)) && d != null;
        d = d.getParent()) {
      p = d.resolve("scripts/topology.sh");
    }
    return p.toString();
  }
}
