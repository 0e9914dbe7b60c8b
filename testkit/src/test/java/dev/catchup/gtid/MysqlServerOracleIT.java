package dev.catchup.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.catchup.testkit.Topology;
import dev.catchup.testkit.TopologyExtension;
import dev.catchup.testkit.TopologyOf;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differential test with a real MySQL server as the oracle: on thousands of random sets (tagged
 * ones, odd whitespace, overlaps and huge sequence numbers included) our parse, canonical text,
 * containment, union, subtraction and intersection must agree with the server's GTID_SUBSET and
 * GTID_SUBTRACT. Failures print the seed to replay.
 */
@ExtendWith(TopologyExtension.class)
class MysqlServerOracleIT {
  private static final Logger log = LoggerFactory.getLogger(MysqlServerOracleIT.class);
  private static final int CASES = 3000;
  private static final String[] UUIDS = {
      "00000000-0000-0000-0000-000000000001",
      "3e11fa47-71ca-11e1-9e33-c80aa9429562",
      "3E11FA47-71CA-11E1-9E33-C80AA9429563",
      "80000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-fffffffffffe",
  };
  private static final String[] TAGS = {"alpha", "Beta", "_x1", "zz_9", "a"};
  private static final String[] SPACE = {"", "", "", " ", "\n", " \t"};

  private static Connection server;
  private static PreparedStatement compare;
  private static PreparedStatement canonical;

  @BeforeAll
  static void connect(@TopologyOf(Flavor.MYSQL) Topology mysql) throws SQLException {
    server = mysql.connect(mysql.primary());
    compare = server.prepareStatement("SELECT GTID_SUBSET(?, ?), GTID_SUBTRACT(?, ?), "
        + "GTID_SUBTRACT(?, GTID_SUBTRACT(?, ?))");
    canonical = server.prepareStatement("SELECT GTID_SUBTRACT(?, '')");
  }

  @AfterAll
  static void close() throws SQLException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void randomSets_agreeWithServer() throws SQLException {
    long seed = Long.getLong("oracle.seed", System.nanoTime());
    Random random = new Random(seed);
    log.info("oracle seed {} (replay with -Doracle.seed={})", seed, seed);
    int tagged = 0;
    for (int i = 0; i < CASES; i++) {
      String a = randomText(random);
      String b = randomText(random);
      MysqlGtidSet x = MysqlGtidSet.parse(a);
      MysqlGtidSet y = MysqlGtidSet.parse(b);
      tagged += x.intervals().stream().anyMatch(iv -> !iv.tag().isEmpty()) ? 1 : 0;
      String context = "seed " + seed + " case " + i + ": a='" + a + "' b='" + b + "'";

      String serverA = serverCanonical(a);
      assertEquals(serverA, x.toString(), "canonical form, " + context);
      assertEquals(x, MysqlGtidSet.parse(serverA), "parse of server text, " + context);

      compare.setString(1, b);
      compare.setString(2, a);
      compare.setString(3, a);
      compare.setString(4, b);
      compare.setString(5, a);
      compare.setString(6, a);
      compare.setString(7, b);
      try (ResultSet rs = compare.executeQuery()) {
        rs.next();
        assertEquals(rs.getInt(1) == 1, x.contains(y), "contains, " + context);
        assertEquals(rs.getString(2), x.subtract(y).toString(), "subtract, " + context);
        assertEquals(rs.getString(3), x.intersect(y).toString(), "intersect, " + context);
      }
      if (!x.isEmpty() && !y.isEmpty()) {
        // The server unions sets by parsing their concatenation.
        assertEquals(serverCanonical(a + "," + b), x.union(y).toString(), "union, " + context);
      }
    }
    log.info("{} random cases agreed with MySQL {} ({} with tags)", CASES,
        server.getMetaData().getDatabaseProductVersion(), tagged);
    assertThat(tagged).as("tagged cases exercised").isGreaterThan(CASES / 4);
  }

  @Test
  void mutatedText_weAcceptOnlyWhatServerAccepts() throws SQLException {
    long seed = Long.getLong("oracle.seed", System.nanoTime());
    Random random = new Random(seed);
    int weAccepted = 0;
    int onlyServerAccepted = 0;
    String alphabet = "0123456789abcdefABCDEF-:, \nxg_";
    for (int i = 0; i < 1000; i++) {
      StringBuilder text = new StringBuilder(randomText(random));
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && text.length() > 0; e++) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(3)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String input = text.toString();
      MysqlGtidSet ours = null;
      try {
        ours = MysqlGtidSet.parse(input);
      } catch (GtidParseException expected) {
        // Rejected: the server may be more lenient, which is fine for a stricter parser.
      }
      String theirs = null;
      try {
        theirs = serverCanonical(input);
      } catch (SQLException rejected) {
        // The server rejected it too (or only it did).
      }
      if (ours != null) {
        weAccepted++;
        assertThat(theirs).as("server accepts what we accept, seed " + seed + " input '" + input + "'")
            .isNotNull();
        assertEquals(theirs, ours.toString(), "same meaning, seed " + seed + " input '" + input + "'");
      } else if (theirs != null) {
        if (onlyServerAccepted++ < 5) {
          log.info("only the server accepted '{}' as '{}'", input, theirs);
        }
      }
    }
    log.info("mutations: we accepted {}, only the server accepted {} (seed {})", weAccepted,
        onlyServerAccepted, seed);
    assertThat(weAccepted).isPositive();
  }

  private static String serverCanonical(String text) throws SQLException {
    canonical.setString(1, text);
    try (ResultSet rs = canonical.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A set text as a user might write it: any order, case, whitespace, overlaps, tags. */
  static String randomText(Random r) {
    int sources = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(4);
    List<String> parts = new ArrayList<>();
    for (int s = 0; s < sources; s++) {
      StringBuilder sb = new StringBuilder(UUIDS[r.nextInt(UUIDS.length)]);
      int groups = 1 + r.nextInt(3);
      for (int g = 0; g < groups; g++) {
        if (g > 0 || r.nextInt(3) == 0) {
          sb.append(sp(r)).append(':').append(sp(r)).append(TAGS[r.nextInt(TAGS.length)]);
        }
        int intervals = 1 + r.nextInt(3);
        for (int k = 0; k < intervals; k++) {
          long first = r.nextInt(20) == 0 ? MysqlGtidSet.MAX_GNO - r.nextInt(5) : 1 + r.nextInt(60);
          long last = first + Math.min(MysqlGtidSet.MAX_GNO - first, r.nextBoolean() ? 0 : r.nextInt(15));
          sb.append(sp(r)).append(':').append(sp(r)).append(first);
          if (last != first || r.nextInt(8) == 0) {
            sb.append(sp(r)).append('-').append(sp(r)).append(last);
          }
        }
      }
      parts.add(sb.toString());
    }
    Collections.shuffle(parts, r);
    StringBuilder out = new StringBuilder(sp(r));
    for (int i = 0; i < parts.size(); i++) {
      out.append(i > 0 ? sp(r) + "," + sp(r) : "").append(parts.get(i));
    }
    return out.append(sp(r)).toString();
  }

  private static String sp(Random r) {
    return SPACE[r.nextInt(SPACE.length)];
  }
}
