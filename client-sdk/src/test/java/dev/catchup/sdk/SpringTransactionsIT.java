package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Unchanged Spring code over the data source: a read-only transaction (what
 * {@code @Transactional(readOnly = true)} runs) goes to a replica and sees the write the previous
 * read-write transaction made, with the replica applying a second behind.
 */
class SpringTransactionsIT {

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readOnlyTransaction_onReplica_seesPreviousWrite(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    SdkFixtures.createTable(t, "spring_rows");
    for (Server r : t.replicas()) {
      t.setDelay(r, Duration.ofSeconds(1));
    }
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
        .readPolicy(ReadPolicy.WAIT).maxWait(Duration.ofSeconds(20)).build()) {
      DataSourceTransactionManager tm = new DataSourceTransactionManager(ds);
      JdbcTemplate jdbc = new JdbcTemplate(ds);
      TransactionTemplate readWrite = new TransactionTemplate(tm);
      TransactionTemplate readOnly = new TransactionTemplate(tm);
      readOnly.setReadOnly(true);

      // One request: a session bound to the thread, as a servlet filter would.
      try (CatchupDataSource.Scope scope = ds.bind(ds.newSession())) {
        String id = UUID.randomUUID().toString();
        readWrite.executeWithoutResult(tx -> {
          jdbc.update("INSERT INTO spring_rows (id, v) VALUES (?, 1)", id);
          jdbc.update("UPDATE spring_rows SET v = 2 WHERE id = ?", id);
        });
        List<Long> seen = readOnly.execute(tx ->
            jdbc.queryForList("SELECT v FROM spring_rows WHERE id = ?", Long.class, id));
        assertEquals(List.of(2L), seen);
        assertEquals(1, metrics.get("REPLICA"), "the read-only transaction ran on a replica");
        // The connection went back to read-write after the transaction: this write is recorded.
        jdbc.update("UPDATE spring_rows SET v = 3 WHERE id = ?", id);
        Long after = readOnly.execute(tx ->
            jdbc.queryForObject("SELECT v FROM spring_rows WHERE id = ?", Long.class, id));
        assertEquals(Long.valueOf(3), after);
        assertEquals(2, metrics.get("REPLICA"));
        assertThat(metrics.get("PRIMARY")).isZero();
      }
    } finally {
      t.replicas().forEach(r -> t.setDelay(r, Duration.ZERO));
    }
  }
}
