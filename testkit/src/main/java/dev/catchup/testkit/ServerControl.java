package dev.catchup.testkit;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The launcher's commands on one topology's servers: {@code scripts/topology.sh} run with the
 * topology's directory, each server named as the script knows it. It changes the servers only;
 * {@link Roles} records what the change means.
 */
final class ServerControl {
  /** Starting servers, or waiting for replication to run again; the first install takes ~1 min. */
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private final TopologyScript script;
  private final Path dir;

  private ServerControl(TopologyScript script, Path dir) {
    this.script = script;
    this.dir = dir;
  }

  /**
   * Installs {@code kind}'s binaries if this machine lacks them, then starts a primary and
   * {@code replicas} replicas applying with {@code delay} in a new temporary directory.
   */
  static ServerControl up(ServerKind kind, int replicas, Duration delay) {
    TopologyScript script = TopologyScript.locate();
    // Idempotent and quick once installed; the first time it builds a sid root (~1 min).
    script.run(UP_TIMEOUT, "install", kind.installName());
    Path dir;
    try {
      dir = Files.createTempDirectory("catchup-" + kind.installName() + "-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a topology directory: " + e.getMessage(), e);
    }
    List<String> up = new ArrayList<>(List.of("up"));
    up.addAll(kind.upArguments());
    up.addAll(List.of("--dir", dir.toString(), "--replicas", String.valueOf(replicas),
        "--delay", String.valueOf(delay.toSeconds())));
    script.run(UP_TIMEOUT, up.toArray(String[]::new));
    return new ServerControl(script, dir);
  }

  /** The topology's directory: data, logs, {@code topology.properties}, certificates. */
  Path dir() {
    return dir;
  }

  /** What {@code topology.sh} last wrote of the topology: ports, ids, users, replicas. */
  Properties properties() {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(dir.resolve("topology.properties"))));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the topology in " + dir + ": " + e.getMessage(), e);
    }
    return p;
  }

  /** Stops and resets {@code server}'s replication and makes it writable. */
  void promote(Server server) {
    run(COMMAND_TIMEOUT, "promote", "--server", server.name());
  }

  /** Replicates {@code replica} from {@code source}; returns once both threads run. */
  void repoint(Server replica, Server source) {
    run(UP_TIMEOUT, "repoint", "--server", replica.name(), "--source", source.name());
  }

  void setReadOnly(Server server, boolean readOnly) {
    run(COMMAND_TIMEOUT, "readonly", "--server", server.name(), readOnly ? "--on" : "--off");
  }

  void setDelay(Server replica, Duration delay) {
    run(COMMAND_TIMEOUT, "delay", "--server", replica.name(),
        "--seconds", String.valueOf(delay.toSeconds()));
  }

  /** Starts a new, empty replica of {@code source}; {@link #properties()} then describes it. */
  void add(Server source, Duration delay) {
    run(UP_TIMEOUT, "add", "--source", source.name(), "--seconds", String.valueOf(delay.toSeconds()));
  }

  /** SIGKILL, as a crash. */
  void kill(Server server) {
    run(COMMAND_TIMEOUT, "stop", "--server", server.name());
  }

  void restart(Server server) {
    run(UP_TIMEOUT, "start", "--server", server.name());
  }

  /** Stops every server and removes the directory. */
  void down() {
    run(COMMAND_TIMEOUT, "down");
  }

  private void run(Duration timeout, String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--dir", dir.toString()));
    all.addAll(List.of(args));
    script.run(timeout, all.toArray(String[]::new));
  }
}
