package dev.catchup.sdk;

import dev.catchup.gtid.GtidSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * From what every configured server said of its role to the next {@link Roles}: the pure part of
 * discovery without a monitor, a function of values.
 *
 * <ul>
 *   <li>The primary is the one server that is writable and follows no source. None: the primary
 *       is unknown and writes fail naming what each server said. Several: the current primary is
 *       kept if it is among them, else writes fail the same way; a primary is never guessed.
 *   <li>A new primary raises the generation and brings a {@link Fence}: its identity and executed
 *       set as it answered (it follows no source, so no other server's transactions reach it any
 *       more).
 *   <li>Readers: the servers that follow a source (read-only or not: replicas that are not marked
 *       read-only still serve reads), and the primary with {@code readsOnPrimary}. A server that
 *       could not be asked keeps the place it had: reads back off from it on their own, and a
 *       restart does not move it in or out of the rotation.
 * </ul>
 */
final class RoleDiscovery {
  private RoleDiscovery() {}

  /**
   * The outcome of one discovery.
   *
   * @param roles the roles to use from now on (the current primary when none could be found)
   * @param problem null when a primary was found, else why not, naming each server and what it said
   */
  record Outcome(Roles roles, String problem) {}

  /**
   * @param answers one per configured server, in configuration order
   */
  static Outcome next(Roles current, List<ServerAnswer> answers, boolean readsOnPrimary) {
    List<ServerAnswer> writable = answers.stream().filter(ServerAnswer::actsAsPrimary).toList();
    String primary = current.primary();
    Fence fence = current.fence();
    long generation = current.generation();
    String problem = null;
    Set<String> writableNames = writable.stream().map(ServerAnswer::name)
        .collect(Collectors.toSet());
    if (writable.size() == 1) {
      ServerAnswer found = writable.get(0);
      if (!found.name().equals(primary)) {
        primary = found.name();
        generation++;
        fence = new Fence(found.name(), found.identity(), found.executed(), found.state());
      }
    } else if (writable.isEmpty()) {
      problem = "no configured server is writable and free of a replication source, so no primary "
          + "is known: " + describe(answers);
    } else if (!writableNames.contains(primary)) {
      problem = "several configured servers are writable and follow no source, and the primary "
          + primary + " is not among them; Catchup does not guess: " + describe(answers);
    }
    List<String> readers = new ArrayList<>();
    for (ServerAnswer a : answers) {
      boolean reads;
      if (a.name().equals(primary)) {
        reads = readsOnPrimary;
      } else if (!a.reached()) {
        reads = current.readers().contains(a.name());
      } else {
        reads = a.replicates();
      }
      if (reads) {
        readers.add(a.name());
      }
    }
    return new Outcome(new Roles(generation, primary, readers, fence), problem);
  }

  /** One clause per server: its name and what it said. */
  static String describe(List<ServerAnswer> answers) {
    return answers.stream().map(ServerAnswer::said).collect(Collectors.joining("; "));
  }

  /** What a change does, in one line for the log; null when nothing changed. */
  static String change(Roles before, Roles after) {
    if (before.equals(after)) {
      return null;
    }
    StringBuilder sb = new StringBuilder("topology: ");
    if (!before.primary().equals(after.primary())) {
      sb.append("primary ").append(before.primary()).append(" -> ").append(after.primary())
          .append(" (generation ").append(after.generation()).append(")");
      GtidSet executed = after.fence() == null ? null : after.fence().executed();
      if (executed != null) {
        sb.append(", its executed set ").append(executed.toString().replace("\n", ""));
      }
      sb.append("; ");
    }
    sb.append("readers ").append(before.readers()).append(" -> ").append(after.readers());
    return sb.toString();
  }
}
