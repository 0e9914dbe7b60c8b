package dev.catchup.monitor.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A server of the seed list: what the configuration says of it. Its role is discovered
 * ({@link ReplicationTopology}).
 *
 * @param name its configured name
 * @param host its configured host; null when not known (a replica's source is then matched by
 *     the server's identity only)
 * @param port its configured port; 0 when not known
 */
public record Seed(String name, String host, int port) {
  public Seed {
    Objects.requireNonNull(name, "name");
  }

  /** A seed known by name only. */
  public static Seed named(String name) {
    return new Seed(name, null, 0);
  }

  /** Seeds known by name only: the primary's, then the replicas'. */
  public static List<Seed> named(String primary, List<String> replicas) {
    List<Seed> out = new ArrayList<>();
    out.add(named(primary));
    replicas.forEach(r -> out.add(named(r)));
    return out;
  }
}
