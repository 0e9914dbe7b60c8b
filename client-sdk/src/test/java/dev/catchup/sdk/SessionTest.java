package dev.catchup.sdk;

import static dev.catchup.sdk.DataSourceLifecycleTest.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A session's options and what it may accumulate. No server needed. */
class SessionTest {

  @Test
  void consistency_derivesFromTheDataSourcesOptions_keepsPolicyAndMaxWait() {
    try (CatchupDataSource ds = unreachable().readPolicy(ReadPolicy.FAIL)
        .maxWait(Duration.ofSeconds(2)).build()) {
      Session s = ds.newSession().consistency(Consistency.CAUSAL);
      assertEquals(new ReadOptions(Consistency.CAUSAL, ReadPolicy.FAIL, Duration.ofSeconds(2)),
          s.readOptions());

      s.readPolicy(ReadPolicy.WAIT).maxWait(Duration.ofMillis(300));
      assertEquals(new ReadOptions(Consistency.CAUSAL, ReadPolicy.WAIT, Duration.ofMillis(300)),
          s.readOptions());
      assertEquals(new ReadOptions(Consistency.READ_YOUR_WRITES, ReadPolicy.FAIL,
          Duration.ofSeconds(2)), ds.newSession().readOptions(), "other sessions are unchanged");
    }
  }

  @Test
  void observe_distinctSourcesPastTheDecodeLimit_refusedAndSessionUnchanged() {
    try (CatchupDataSource ds = unreachable().build()) {
      Session s = ds.newSession();
      IllegalArgumentException refused = null;
      int accepted = 0;
      for (int i = 0; i < 20_000 && refused == null; i++) {
        String before = s.token().encode();
        try {
          s.observe("mysql/" + new UUID(i + 1, 1) + ":1-" + (i + 1));
          accepted++;
        } catch (IllegalArgumentException e) {
          refused = e;
          assertEquals(before, s.token().encode(), "a refused observe changes nothing");
        }
      }

      assertThat(refused).as("observe must refuse to grow the token without bound").isNotNull();
      assertThat(refused.getMessage()).startsWith("observing this token would grow the session's "
          + "token to ").contains("more than the " + ConsistencyToken.MAX_ENCODED_LENGTH);
      assertThat(accepted).isGreaterThan(50);
      String token = s.token().encode();
      assertThat(token.length()).isLessThanOrEqualTo(ConsistencyToken.MAX_ENCODED_LENGTH);
      assertEquals(s.token(), ConsistencyToken.decode(token), "other services accept it");
      s.observe("mysql/" + new UUID(1, 1) + ":1"); // a source it has already: no growth
    }
  }
}
