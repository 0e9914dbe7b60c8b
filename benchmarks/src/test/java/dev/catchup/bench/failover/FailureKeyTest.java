package dev.catchup.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class FailureKeyTest {
  @Test
  void of_sqlException_namesClassStateAndReason() {
    SQLException e = new SQLTransientConnectionException(
        "primary - Connection is not available, request timed out after 1002ms.", "08001");

    assertThat(FailureKey.of(e)).isEqualTo("SQLTransientConnectionException 08001: primary - "
        + "Connection is not available, request timed out after #ms.");
  }

  @Test
  void of_noSqlState_classAndReasonOnly() {
    assertThat(FailureKey.of(new IllegalStateException("boom"))).isEqualTo(
        "IllegalStateException: boom");
  }

  @Test
  void reason_addressesGtidsAndUuids_becomeOneHash() {
    assertThat(FailureKey.reason("lost 3e11fa47-71ca-11e1-9e33-c80aa9429562:5-7:9 on "
        + "127.0.0.1:40321 and replica2")).isEqualTo("lost # on # and replica#");
  }

  @Test
  void reason_sameCauseDifferentNumbers_sameReason() {
    assertThat(FailureKey.reason("read only at 0-1-105"))
        .isEqualTo(FailureKey.reason("read only at 0-2-7,1-2-9"));
  }

  @Test
  void reason_cutAtFirstSemicolonOrLineBreak() {
    assertThat(FailureKey.reason("The MySQL server is running with the --super-read-only option; "
        + "so it cannot execute this statement")).isEqualTo(
        "The MySQL server is running with the --super-read-only option");
    assertThat(FailureKey.reason("first line\nsecond")).isEqualTo("first line");
  }

  @Test
  void reason_longMessage_truncated() {
    String reason = FailureKey.reason("x".repeat(300));

    assertThat(reason).hasSize(FailureKey.MAX_REASON + 3).endsWith("...");
  }

  @Test
  void reason_noMessageOrPipe_stillATableCell() {
    assertThat(FailureKey.reason(null)).isEqualTo("(no message)");
    assertThat(FailureKey.reason("a | b")).isEqualTo("a / b");
  }
}
