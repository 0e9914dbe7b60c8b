package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.gtid.GtidSet;
import dev.catchup.sdk.ReplicaViews.ReplicaView;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaViewsTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final List<String> NAMES = List.of("r1", "r2", "r3");

  private static GtidSet upTo(long n) {
    return GtidSet.parse(Flavor.MYSQL, U + ":1-" + n);
  }

  @Test
  void best_isTheLeastBehindAmongThoseThatHaveTheToken() {
    ReplicaViews v = new ReplicaViews();
    v.update(new ReplicaView("r1", true, upTo(10), 0.5, 1));
    v.update(new ReplicaView("r2", true, upTo(10), 0.1, 1));
    v.update(new ReplicaView("r3", true, upTo(5), 0.0, 1));
    assertThat(v.best(NAMES, upTo(8), 0)).isEqualTo("r2");
    assertThat(v.best(NAMES, upTo(11), 0)).isNull();
  }

  @Test
  void best_skipsReplicasNotUp_andTiesRotate() {
    ReplicaViews v = new ReplicaViews();
    v.update(new ReplicaView("r1", true, upTo(10), 0.0, 1));
    v.update(new ReplicaView("r2", false, upTo(10), 0.0, 1));
    v.update(new ReplicaView("r3", true, upTo(10), 0.0, 1));
    assertThat(v.best(NAMES, upTo(3), 0)).isEqualTo("r1");
    assertThat(v.best(NAMES, upTo(3), 1)).isEqualTo("r3");
    assertThat(v.best(NAMES, upTo(3), 2)).isEqualTo("r3");
    assertThat(v.anyUp(List.of("r2"))).isFalse();
    assertThat(v.leastLag(List.of("r2"))).isNull();
  }

  @Test
  void bestProven_mariadb_prefersAProvenReplicaToALessBehindOneThatOnlyPassesBySequence() {
    // r1's position passes server 1's 0-1-105 by sequence number only (server 2 wrote 110 there);
    // r2 has server 1's own 106. Both walked once: r2 runs the read although r1 is less behind.
    GtidSet token = GtidSet.parse(Flavor.MARIADB, "0-1-105");
    List<ReplicaView> views = List.of(
        new ReplicaView("r1", true, GtidSet.parse(Flavor.MARIADB, "0-2-110"), 0.0, 1),
        new ReplicaView("r2", true, GtidSet.parse(Flavor.MARIADB, "0-1-106"), 0.5, 1),
        new ReplicaView("r3", true, GtidSet.parse(Flavor.MARIADB, "0-1-100"), 0.0, 1));

    assertThat(ReplicaViews.bestProven(views, v -> v, token, 0, null))
        .isEqualTo(new ReplicaViews.Pick("r2", true));
    assertThat(ReplicaViews.bestProven(List.of(views.get(0), views.get(2)), v -> v, token, 0, null))
        .as("only passed by sequence: not proven").isEqualTo(new ReplicaViews.Pick("r1", false));
    assertThat(ReplicaViews.bestProven(List.of(views.get(2)), v -> v, token, 0, null)).isNull();
  }

  @Test
  void update_neverGoesBackToAnOlderVersion() {
    ReplicaViews v = new ReplicaViews();
    v.update(new ReplicaView("r1", true, upTo(10), 0.0, 7));
    ReplicaView held = v.update(new ReplicaView("r1", true, upTo(4), 0.0, 6));
    assertThat(held.confirmed()).isEqualTo(upTo(10));
    assertThat(v.get("r1").version()).isEqualTo(7);
  }

  @Test
  void leastLag_anUpReplicaOfUnknownLag_makesTheLeastUnknown() {
    // A current replica often reports no lag (its one missing transaction's commit time is not
    // known yet): it may be at 0, so the least is unknown, not the other replica's 30 s.
    ReplicaViews v = new ReplicaViews();
    v.update(new ReplicaView("r1", true, upTo(10), null, 1));
    v.update(new ReplicaView("r2", true, upTo(5), 30.0, 1));
    assertThat(v.leastLag(List.of("r1", "r2"))).isNull();
    assertThat(v.leastLag(List.of("r2"))).isEqualTo(30.0);
  }

  @Test
  void leastLag_replicaNotUp_doesNotCount() {
    ReplicaViews v = new ReplicaViews();
    v.update(new ReplicaView("r1", false, upTo(10), null, 1));
    v.update(new ReplicaView("r2", true, upTo(5), 30.0, 1));
    assertThat(v.leastLag(List.of("r1", "r2"))).isEqualTo(30.0);
  }
}
