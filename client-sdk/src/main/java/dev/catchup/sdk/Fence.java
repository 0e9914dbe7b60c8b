package dev.catchup.sdk;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.gtid.MariaDbBinlogState;
import dev.catchup.gtid.MariaDbGtidSet;
import dev.catchup.gtid.MysqlGtidSet;
import java.util.UUID;

/**
 * What a newly promoted primary had of other servers' transactions when it was found primary: its
 * identity and its executed set, read once. A primary that does not replicate receives no other
 * server's transactions any more, so a token naming another server's GTID it lacks names a write
 * that was lost with its predecessor (its unreplicated tail): no server will ever have it. GTIDs
 * the promoted server wrote itself are never lost by this test; whether it has them is
 * {@link PrimaryCommits}'s question.
 *
 * @param server the promoted server's configured name
 * @param identity MySQL: its {@code @@server_uuid}; MariaDB: its {@code @@server_id}
 * @param executed MySQL: its {@code @@gtid_executed}; MariaDB: its position (per domain)
 * @param state MariaDB: what it has of each server, per domain; null on MySQL
 */
record Fence(String server, String identity, GtidSet executed, MariaDbBinlogState state) {

  /**
   * The GTIDs of {@code token} that are lost: written by another server and missing here. MySQL:
   * intervals of other source UUIDs the executed set lacks. MariaDB: an entry {@code d-s-n} of
   * another server {@code s} whose sequence is beyond what this server has of {@code s} in
   * {@code d} (or, when it has nothing of {@code s} there, beyond how far it replicated {@code d}).
   */
  GtidSet lost(GtidSet token) {
    if (token.isEmpty()) {
      return token;
    }
    if (token instanceof MysqlGtidSet m) {
      if (executed.contains(m)) {
        return MysqlGtidSet.empty(); // the common case, one containment test
      }
      UUID self = UUID.fromString(identity);
      MysqlGtidSet.Builder b = MysqlGtidSet.builder();
      for (MysqlGtidSet.Interval iv : m.subtract(executed).intervals()) {
        if (!iv.uuid().equals(self)) {
          b.add(iv.uuid(), iv.tag(), iv.first(), iv.last());
        }
      }
      return b.build();
    }
    long self = Long.parseLong(identity);
    MariaDbGtidSet lost = MariaDbGtidSet.empty();
    for (MariaDbGtidSet.Entry e : ((MariaDbGtidSet) token).entries()) {
      if (e.server() != self && Long.compareUnsigned(e.sequence(), had(e.domain(), e.server())) > 0) {
        lost = lost.union(MariaDbGtidSet.of(e.domain(), e.server(), e.sequence()));
      }
    }
    return lost;
  }

  /**
   * What a session accepting the loss of {@code lost} keeps requiring in their place: MySQL
   * nothing (the lost intervals are simply removed); MariaDB, for each domain with a lost entry
   * {@code d-s-n}, {@code d-s-h} where {@code h} is what this server has of {@code s} in {@code d},
   * so that the writes before the lost ones stay required (a position is one entry per domain).
   */
  GtidSet retained(GtidSet lost) {
    if (!(lost instanceof MariaDbGtidSet m)) {
      return GtidSet.empty(lost.flavor());
    }
    MariaDbGtidSet kept = MariaDbGtidSet.empty();
    for (MariaDbGtidSet.Entry e : m.entries()) {
      long had = had(e.domain(), e.server());
      if (had != 0) {
        kept = kept.union(MariaDbGtidSet.of(e.domain(), e.server(), had));
      }
    }
    return kept;
  }

  Flavor flavor() {
    return executed.flavor();
  }

  /** MariaDB: how far this server has {@code server}'s transactions in {@code domain}. */
  private long had(long domain, long server) {
    return state.has(domain, server) ? state.sequence(domain, server)
        : state.highestExcept(domain, Long.parseLong(identity));
  }
}
