package dev.catchup.sdk;

import java.util.List;
import java.util.Objects;

/**
 * Who does what among the configured servers, at one moment: the primary (writes, fallbacks and
 * STRONG reads borrow from its pool), the servers in the read rotation, and a generation that grows
 * by one with each change of primary. Immutable; the data source holds the current value in one
 * atomic reference ({@link Servers}) and swaps it whole, so a read or write sees one consistent
 * topology. Whoever learns of a change (discovery without a monitor, or the monitor's topology
 * events, see {@link MonitorRoles}) makes the next value.
 *
 * @param generation 0 for the configuration, then one more per change of primary
 * @param primary the primary's configured name
 * @param readers the servers in the read rotation, in configuration order
 * @param fence what the primary had of other servers' transactions when it was found primary;
 *     null while it is the configured primary (nothing was lost by a change)
 */
record Roles(long generation, String primary, List<String> readers, Fence fence) {

  Roles {
    Objects.requireNonNull(primary, "primary");
    readers = List.copyOf(readers);
  }

  /** The configuration: {@code primary} writes, the replicas (and with {@code readsOnPrimary}, it) read. */
  static Roles configured(String primary, List<String> replicas, boolean readsOnPrimary) {
    return new Roles(0, primary, readsOnPrimary ? prepend(primary, replicas) : replicas, null);
  }

  /** The same primary with another rotation. */
  Roles withReaders(List<String> next) {
    return new Roles(generation, primary, next, fence);
  }

  private static List<String> prepend(String first, List<String> rest) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(rest.size() + 1);
    out.add(first);
    out.addAll(rest);
    return out;
  }

  @Override
  public String toString() {
    return "generation " + generation + ": primary " + primary + ", readers " + readers;
  }
}
