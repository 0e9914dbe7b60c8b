package dev.catchup.testkit;

import dev.catchup.gtid.Flavor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared topology per {@link ServerKind} per JVM: a primary and {@link #REPLICAS} replicas, started on first
 * use and stopped when the JVM exits. Starting servers costs seconds each on a 2-core machine, so
 * every test class of a module shares them; tests that need a delay set it with
 * {@link Topology#setDelay} at their start rather than assuming one.
 */
public final class Topologies {
  private static final Logger log = LoggerFactory.getLogger(Topologies.class);

  /** Replicas in each shared topology: two, so routing can choose between different delays. */
  public static final int REPLICAS = 2;

  private static final Map<ServerKind, Topology> SHARED = new EnumMap<>(ServerKind.class);
  private static boolean hookInstalled;

  private Topologies() {}

  /** The shared topology of {@code flavor}'s {@link ServerKind#of default servers}. */
  public static Topology shared(Flavor flavor) {
    return shared(ServerKind.of(flavor));
  }

  /** The shared topology of {@code kind}, started on first call. */
  public static synchronized Topology shared(ServerKind kind) {
    Topology t = SHARED.get(kind);
    if (t == null) {
      if (!hookInstalled) {
        Runtime.getRuntime().addShutdownHook(new Thread(Topologies::closeAll, "topology-teardown"));
        hookInstalled = true;
      }
      t = Topology.start(kind, REPLICAS, Duration.ZERO);
      SHARED.put(kind, t);
    }
    return t;
  }

  /**
   * Puts every replica of the shared topologies started so far back to no delay: tests that
   * change a delay call this after themselves, so the next test starts from a known state.
   */
  public static synchronized void resetDelays() {
    for (Topology t : SHARED.values()) {
      t.replicas().forEach(r -> t.setDelay(r, java.time.Duration.ZERO));
    }
  }

  /** Stops every shared topology; later calls to {@link #shared} start new ones. */
  public static synchronized void closeAll() {
    for (Topology t : SHARED.values()) {
      try {
        t.close();
      } catch (RuntimeException e) {
        log.warn("could not stop {}: {}", t, e.getMessage());
      }
    }
    SHARED.clear();
  }
}
