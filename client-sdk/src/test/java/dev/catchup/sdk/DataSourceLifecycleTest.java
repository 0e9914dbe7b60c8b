package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.catchup.gtid.Flavor;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Building and closing a data source: what it holds, and what it lets go. No server needed. */
class DataSourceLifecycleTest {
  /** Nothing listens on port 1: pools start anyway (a server may be down at start). */
  static final String UNREACHABLE = "jdbc:mysql://127.0.0.1:1/db?connectTimeout=250";

  static CatchupDataSourceBuilder unreachable() {
    return CatchupDataSource.builder().flavor(Flavor.MYSQL).primary(UNREACHABLE)
        .replica("r1", UNREACHABLE).credentials("app", "pw").poolSize(1);
  }

  @Test
  void build_aLaterPoolFails_closesThePoolsAlreadyMade() {
    Set<String> started = ConcurrentHashMap.newKeySet();
    Set<String> closed = ConcurrentHashMap.newKeySet();
    MetricsTrackerFactory tracking = (pool, stats) -> {
      started.add(pool);
      return new IMetricsTracker() {
        @Override
        public void close() {
          closed.add(pool);
        }
      };
    };
    var builder = unreachable().replica("r2", UNREACHABLE).configurePools(c -> {
      if (c.getPoolName().equals("catchup-r2")) {
        throw new IllegalArgumentException("bad pool setting");
      }
      c.setMetricsTrackerFactory(tracking);
    });

    var e = assertThrows(IllegalArgumentException.class, builder::build);

    assertThat(e.getMessage()).isEqualTo("bad pool setting");
    assertThat(started).containsExactlyInAnyOrder("catchup-primary", "catchup-r1");
    assertThat(closed).as("pools made before the failure are closed").isEqualTo(started);
  }

  @Test
  void configurePools_calledTwice_appliesBothInOrder() {
    List<String> applied = Collections.synchronizedList(new ArrayList<>());
    try (CatchupDataSource ds = unreachable()
        .configurePools(c -> applied.add("first " + c.getPoolName()))
        .configurePools(c -> applied.add("second " + c.getPoolName()))
        .build()) {
      // A later customizer used to replace the earlier one: a Spring application's TLS settings
      // were dropped once the starter's Micrometer binding added the pools' meters.
      assertThat(applied).containsExactly("first catchup-primary", "second catchup-primary",
          "first catchup-r1", "second catchup-r1");
    }
  }

  @Test
  void configurePools_null_throwsNamingIt() {
    var e = assertThrows(NullPointerException.class, () -> unreachable().configurePools(null));
    assertThat(e.getMessage()).isEqualTo("configurePools customizer must not be null");
  }

  @Test
  void close_afterUseOnAPooledThread_dataSourceBecomesCollectable() throws Exception {
    ExecutorService pooledThread = Executors.newSingleThreadExecutor();
    try {
      ReferenceQueue<CatchupDataSource> queue = new ReferenceQueue<>();
      WeakReference<CatchupDataSource> ref = useOnThreadAndClose(pooledThread, queue);
      Reference<?> collected = null;
      for (int i = 0; i < 100 && collected == null; i++) {
        System.gc();
        collected = queue.remove(100);
      }
      assertThat(collected).as("the closed data source was collected although the pooled thread "
          + "that used its default session lives on").isSameAs(ref);
    } finally {
      pooledThread.shutdownNow();
    }
  }

  private static WeakReference<CatchupDataSource> useOnThreadAndClose(ExecutorService thread,
      ReferenceQueue<CatchupDataSource> queue) throws Exception {
    CatchupDataSource ds = unreachable().build();
    thread.submit(() -> {
      ds.currentSession().observe("mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
      try (Connection c = ds.getConnection()) { // lazy: borrows nothing until a statement runs
        c.setReadOnly(true);
      }
      try (var scope = ds.bind(ds.newSession())) {
        ds.getReadConnection().close();
      }
      return null;
    }).get();
    ds.close();
    return new WeakReference<>(ds, queue);
  }

  @Test
  void resetThreadSession_defaultSessionStartsOver() {
    try (CatchupDataSource ds = unreachable().build()) {
      ds.currentSession().observe("mysql/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
      assertThat(ds.currentSession().token().isEmpty()).isFalse();

      ds.resetThreadSession();

      assertThat(ds.currentSession().token().isEmpty()).isTrue();
    }
  }

  @Test
  void getConnection_afterClose_throws() {
    CatchupDataSource ds = unreachable().build();
    ds.close();
    var e = assertThrows(SQLException.class, ds::getConnection);
    assertThat(e.getMessage()).isEqualTo("this CatchupDataSource is closed");
    assertThrows(SQLException.class, () -> ds.newSession().getReadConnection());
  }
}
