package dev.catchup.bench.failover;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import dev.catchup.sdk.workload.CheckedWorkload.Named;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes actually lost in a round against the reads that failed as lost writes, from what the
 * workload recorded. A write is <em>acknowledged</em> when its commit returned to the client; it
 * is <em>lost</em> when it was acknowledged and its row is not on the new primary after the round
 * (the new primary replicates from nobody, so it never will be). Writes whose outcome the client
 * never learned (the connection broke at commit) are in neither count: no token names them.
 */
final class LossAccount {
  /**
   * An acknowledged write.
   *
   * @param session the workload thread (one session each)
   * @param id its row
   * @param gtid its transaction, from the session's written token before and after; null when the
   *     token did not change
   */
  record Write(int session, long id, GtidSet gtid) {}

  /**
   * One round's account.
   *
   * @param acknowledgedWrites writes whose commit returned
   * @param lostWrites acknowledged writes whose row the new primary lacks
   * @param lostSessions sessions with at least one lost write
   * @param lostWritesNamed lost writes that a read of their own session failed naming (MariaDB: a
   *     named GTID of the same domain and server at the same or a later sequence)
   * @param lostReads reads that failed with {@code LostWritesException}
   * @param namedSessions sessions with at least one such read
   * @param namedGtids distinct GTIDs those reads named (MariaDB: distinct entries, the newest lost
   *     one per session and domain)
   * @param namedHeld of those, GTIDs the new primary has: a read refused for writes that were not
   *     lost (0 expected)
   * @param namedSessionsWithoutLoss sessions refused as lost writes none of whose own writes was
   *     lost (from the rows, whatever the tokens say): their tokens named other sessions' writes
   * @param writesWithoutGtid acknowledged writes whose GTID the session's token did not show
   * @param lost the first {@link #LISTED} lost writes, {@code session k: row id, GTID}
   * @param named the first {@link #LISTED} reads failed as lost writes, {@code session k: GTIDs}
   */
  record Loss(long acknowledgedWrites, long lostWrites, long lostSessions, long lostWritesNamed,
      long lostReads, long namedSessions, long namedGtids, long namedHeld,
      long namedSessionsWithoutLoss, long writesWithoutGtid, List<String> lost,
      List<String> named) {}

  /**
   * What the new primary has, read after the round: MySQL {@code @@gtid_executed}; MariaDB
   * {@code @@gtid_binlog_state}, the newest sequence per domain and server, which tells a lost
   * {@code 0-1-105} from the new primary's own {@code 0-2-105} where a position cannot.
   */
  interface NewPrimary {
    /** How many of the GTIDs {@code named} names the new primary has. */
    long held(GtidSet named);

    static NewPrimary mysql(GtidSet executed) {
      return named -> named.intersect(executed).count();
    }

    static NewPrimary mariadb(MariaDbBinlogState state) {
      return named -> ((MariaDbGtidSet) named).entries().stream()
          .filter(e -> Long.compareUnsigned(state.sequence(e.domain(), e.server()), e.sequence()) >= 0)
          .count();
    }
  }

  /** How many lost writes and named reads a {@link Loss} lists, to keep the JSON short. */
  static final int LISTED = 20;

  private LossAccount() {}

  /**
   * The GTID of the one write between two states of a session's written token. The token keeps a
   * high-water mark per source (MySQL {@code uuid:1-N}, MariaDB the newest entry per domain), so it
   * grows from the previous mark to the write's own GTID, which is the new mark: MySQL the newest
   * GTID of each source added, MariaDB the entries that changed.
   *
   * @return null when nothing changed
   */
  static GtidSet writeGtid(GtidSet before, GtidSet after) {
    if (after.flavor() == Flavor.MARIADB) {
      Set<MariaDbGtidSet.Entry> old = Set.copyOf(((MariaDbGtidSet) before).entries());
      String added = ((MariaDbGtidSet) after).entries().stream().filter(e -> !old.contains(e))
          .map(MariaDbGtidSet.Entry::toString).collect(Collectors.joining(","));
      return added.isEmpty() ? null : GtidSet.parse(Flavor.MARIADB, added);
    }
    MysqlGtidSet.Builder own = MysqlGtidSet.builder();
    for (MysqlGtidSet.Interval iv : ((MysqlGtidSet) after.subtract(before)).intervals()) {
      own.add(iv.uuid(), iv.tag(), iv.last(), iv.last());
    }
    GtidSet gtid = own.build();
    return gtid.isEmpty() ? null : gtid;
  }

  /**
   * @param flavor the servers'
   * @param acknowledged every acknowledged write of the round
   * @param present the ids of those rows the new primary has
   * @param named every read that failed as lost writes
   * @param newPrimary what the new primary has
   */
  static Loss of(Flavor flavor, Collection<Write> acknowledged, Set<Long> present,
      Collection<Named> named, NewPrimary newPrimary) {
    List<Write> lost = acknowledged.stream().filter(w -> !present.contains(w.id())).toList();
    long lostNamed = lost.stream().filter(w -> w.gtid() != null
        && named.stream().anyMatch(n -> n.session() == w.session() && names(flavor, n.lost(), w.gtid())))
        .count();
    List<GtidSet> namedSets = named.stream().map(Named::lost).toList();
    long namedGtids;
    long namedHeld;
    if (flavor == Flavor.MARIADB) {
      // Per entry: a position is no set, and several sessions' reads may name the same GTID.
      Set<MariaDbGtidSet.Entry> entries = entries(namedSets);
      namedGtids = entries.size();
      namedHeld = entries.stream().mapToLong(e -> newPrimary.held(
          MariaDbGtidSet.of(e.domain(), e.server(), e.sequence()))).sum();
    } else {
      GtidSet union = union(flavor, namedSets);
      namedGtids = union.count();
      namedHeld = newPrimary.held(union);
    }
    Set<Integer> lostBy = lost.stream().map(Write::session).collect(Collectors.toSet());
    return new Loss(acknowledged.size(), lost.size(), lostBy.size(), lostNamed, named.size(),
        sessions(named.stream().map(Named::session)), namedGtids, namedHeld,
        sessions(named.stream().map(Named::session).filter(k -> !lostBy.contains(k))),
        acknowledged.stream().filter(w -> w.gtid() == null).count(),
        lost.stream().limit(LISTED).map(w -> "session " + w.session() + ": row " + w.id() + ", "
            + w.gtid()).toList(),
        named.stream().limit(LISTED).map(n -> "session " + n.session() + ": " + n.lost()).toList());
  }

  /**
   * Whether a {@code lostGtids()} names the write {@code gtid}. MariaDB names only the newest lost
   * transaction per domain: an earlier one of the same server in that domain is named with it.
   */
  static boolean names(Flavor flavor, GtidSet lost, GtidSet gtid) {
    if (flavor == Flavor.MYSQL) {
      return lost.contains(gtid);
    }
    for (MariaDbGtidSet.Entry w : ((MariaDbGtidSet) gtid).entries()) {
      boolean named = ((MariaDbGtidSet) lost).entries().stream().anyMatch(n ->
          n.domain() == w.domain() && n.server() == w.server() && n.sequence() >= w.sequence());
      if (!named) {
        return false;
      }
    }
    return true;
  }

  private static long sessions(java.util.stream.Stream<Integer> sessions) {
    return sessions.distinct().count();
  }

  private static GtidSet union(Flavor flavor, List<GtidSet> sets) {
    GtidSet u = GtidSet.empty(flavor);
    for (GtidSet s : sets) {
      if (s != null) {
        u = u.union(s);
      }
    }
    return u;
  }

  private static Set<MariaDbGtidSet.Entry> entries(List<GtidSet> sets) {
    Set<MariaDbGtidSet.Entry> out = new HashSet<>();
    for (GtidSet s : sets) {
      if (s != null) {
        out.addAll(((MariaDbGtidSet) s).entries());
      }
    }
    return out;
  }
}
