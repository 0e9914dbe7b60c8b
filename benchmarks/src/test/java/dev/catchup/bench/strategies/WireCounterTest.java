package dev.catchup.bench.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.bench.strategies.WireCounter.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireCounterTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SELECT v FROM routing_bench WHERE id = 2000000001 | READ",
      "INSERT INTO routing_bench (id, v) VALUES (1, 2) ON DUPLICATE KEY UPDATE v = VALUES(v) | WRITE",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 5.0) | GTID_WAIT",
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 5.0) = 0 | GTID_WAIT",
      "SELECT MASTER_GTID_WAIT('0-1-5', 0) = 0 | GTID_WAIT",
      "select master_gtid_wait('0-1-5', 2.5) | GTID_WAIT",
      "SELECT GTID_SUBSET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', @@global.gtid_executed) | GTID_OTHER",
      "SELECT @@global.gtid_binlog_pos | GTID_OTHER",
      "SET autocommit=1 | OTHER",
      "SELECT 1 | OTHER"})
  void kind_statementsTheBenchmarkSees(String sql, Kind kind) {
    assertThat(WireCounter.kind(sql)).isEqualTo(kind);
  }
}
