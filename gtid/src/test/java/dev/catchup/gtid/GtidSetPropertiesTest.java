package dev.catchup.gtid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Randomised checks of both flavors against a naive model: a MySQL set as a sorted set of
 * (source, gno) points, a MariaDB position as a map domain to sequence. Small universes make
 * overlaps, adjacency and shared sources common, which is where interval code breaks.
 */
class GtidSetPropertiesTest {
  private static final UUID[] UUIDS = {
      UUID.fromString("00000000-0000-0000-0000-000000000001"),
      UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562"),
      UUID.fromString("ffffffff-ffff-ffff-ffff-fffffffffffe"),
  };
  private static final String[] TAGS = {"", "", "alpha", "b"};

  /** A random set given as the text a user might write, plus its model. */
  record Sample(String text, TreeSet<String> points) {}

  @Provide
  Arbitrary<Sample> mysqlSets() {
    Arbitrary<int[]> interval = Combinators.combine(
        Arbitraries.integers().between(0, UUIDS.length - 1),
        Arbitraries.integers().between(0, TAGS.length - 1),
        Arbitraries.integers().between(1, 30),
        Arbitraries.integers().between(0, 6))
        .as((u, t, first, len) -> new int[] {u, t, first, first + len});
    return interval.list().ofMaxSize(8).map(list -> {
      List<String> parts = new ArrayList<>();
      TreeSet<String> points = new TreeSet<>();
      for (int[] iv : list) {
        String tag = TAGS[iv[1]].isEmpty() ? "" : (iv[1] % 2 == 0 ? TAGS[iv[1]].toUpperCase() : TAGS[iv[1]]) + ":";
        String range = iv[2] == iv[3] ? "" + iv[2] : iv[2] + "-" + iv[3];
        parts.add(UUIDS[iv[0]].toString() + ":" + tag + range);
        for (int g = iv[2]; g <= iv[3]; g++) {
          points.add(point(iv[0], TAGS[iv[1]], g));
        }
      }
      return new Sample(String.join(" ,\n", parts), points);
    });
  }

  @Property(tries = 400)
  void mysql_parse_matchesModel_andRoundTrips(@ForAll("mysqlSets") Sample a) {
    MysqlGtidSet s = MysqlGtidSet.parse(a.text());
    assertThat(points(s)).isEqualTo(a.points());
    assertThat(s.count()).isEqualTo(a.points().size());
    assertThat(MysqlGtidSet.parse(s.toString())).isEqualTo(s);
    assertThat(MysqlGtidSet.parse(s.toString()).toString()).isEqualTo(s.toString());
  }

  @Property(tries = 600)
  void mysql_algebra_matchesModel(@ForAll("mysqlSets") Sample a, @ForAll("mysqlSets") Sample b) {
    MysqlGtidSet x = MysqlGtidSet.parse(a.text());
    MysqlGtidSet y = MysqlGtidSet.parse(b.text());

    TreeSet<String> union = new TreeSet<>(a.points());
    union.addAll(b.points());
    TreeSet<String> minus = new TreeSet<>(a.points());
    minus.removeAll(b.points());
    TreeSet<String> both = new TreeSet<>(a.points());
    both.retainAll(b.points());

    assertThat(points(x.union(y))).isEqualTo(union);
    assertThat(points(x.subtract(y))).isEqualTo(minus);
    assertThat(points(x.intersect(y))).isEqualTo(both);
    assertThat(x.contains(y)).isEqualTo(a.points().containsAll(b.points()));
    assertThat(x.countNotIn(y)).isEqualTo(minus.size());

    // Laws that must hold whatever the model says.
    assertThat(x.union(y)).isEqualTo(y.union(x));
    assertThat(x.union(y).contains(x)).isTrue();
    assertThat(x.contains(x.intersect(y))).isTrue();
    assertThat(x.subtract(y).union(x.intersect(y))).isEqualTo(x);
    assertThat(x.subtract(y).intersect(y).isEmpty()).isTrue();
    assertThat(x.equals(y)).isEqualTo(a.points().equals(b.points()));
    if (x.equals(y)) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
      assertThat(x.toString()).isEqualTo(y.toString());
    }
  }

  @Property(tries = 300)
  void mysql_builder_equalsParse(@ForAll("mysqlSets") Sample a) {
    MysqlGtidSet.Builder b = MysqlGtidSet.builder();
    for (String p : a.points().descendingSet()) {
      String[] f = p.split("/");
      b.add(UUIDS[Integer.parseInt(f[0])], f[1], Long.parseLong(f[2]), Long.parseLong(f[2]));
    }
    assertThat(b.build()).isEqualTo(MysqlGtidSet.parse(a.text()));
  }

  @Provide
  Arbitrary<Map<Long, Long>> mariadbPositions() {
    return Arbitraries.maps(Arbitraries.longs().between(0, 4), Arbitraries.longs().between(0, 20))
        .ofMaxSize(4);
  }

  @Property(tries = 600)
  void mariadb_algebra_matchesModel(@ForAll("mariadbPositions") Map<Long, Long> a,
      @ForAll("mariadbPositions") Map<Long, Long> b) {
    MariaDbGtidSet x = position(a);
    MariaDbGtidSet y = position(b);
    boolean contains = true;
    long notIn = 0;
    for (var e : a.entrySet()) {
      long have = b.getOrDefault(e.getKey(), 0L);
      notIn += Math.max(0, e.getValue() - have);
    }
    for (var e : b.entrySet()) {
      contains &= a.getOrDefault(e.getKey(), 0L) >= e.getValue();
    }
    assertThat(x.contains(y)).isEqualTo(contains);
    assertThat(x.countNotIn(y)).isEqualTo(notIn);
    assertThat(MariaDbGtidSet.parse(x.toString())).isEqualTo(x);

    MariaDbGtidSet u = x.union(y);
    assertThat(u.contains(x) && u.contains(y)).isTrue();
    for (long d = 0; d <= 4; d++) {
      assertThat(u.sequence(d)).isEqualTo(Math.max(x.sequence(d), y.sequence(d)));
      if (a.containsKey(d) && b.containsKey(d)) {
        assertThat(x.intersect(y).sequence(d)).isEqualTo(Math.min(a.get(d), b.get(d)));
      }
    }
    // What remains after subtracting is exactly what the other side still has to reach.
    MariaDbGtidSet missing = x.subtract(y);
    assertThat(y.contains(missing)).isEqualTo(missing.isEmpty());
    assertThat(y.union(missing).contains(x)).isTrue();
    assertThat(missing.isEmpty()).isEqualTo(y.contains(x));
  }

  private static MariaDbGtidSet position(Map<Long, Long> m) {
    StringBuilder sb = new StringBuilder();
    for (var e : m.entrySet()) {
      sb.append(sb.length() > 0 ? "," : "").append(e.getKey()).append("-").append(e.getKey() + 100)
          .append("-").append(e.getValue());
    }
    return MariaDbGtidSet.parse(sb);
  }

  private static String point(int uuid, String tag, long gno) {
    return uuid + "/" + tag + "/" + gno;
  }

  private static TreeSet<String> points(MysqlGtidSet s) {
    Map<UUID, Integer> index = new HashMap<>();
    for (int i = 0; i < UUIDS.length; i++) {
      index.put(UUIDS[i], i);
    }
    TreeSet<String> out = new TreeSet<>();
    for (MysqlGtidSet.Interval iv : s.intervals()) {
      for (long g = iv.first(); g <= iv.last(); g++) {
        out.add(point(index.get(iv.uuid()), iv.tag(), g));
      }
    }
    return out;
  }
}
