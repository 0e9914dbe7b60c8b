package dev.catchup.samples.spring.naive;

import com.zaxxer.hikari.HikariDataSource;
import dev.catchup.samples.trace.ReadTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Read/write splitting as Spring applications usually write it: an
 * {@link AbstractRoutingDataSource} that sends read-only transactions to a replica (in rotation)
 * and everything else to the primary, behind a {@link LazyConnectionDataSourceProxy} so that the
 * connection is chosen at the first statement, once the transaction is marked read-only. Nothing
 * makes a replica read wait for the writes it follows: that is what goes stale.
 */
final class ReadWriteSplit extends LazyConnectionDataSourceProxy implements AutoCloseable {
  private static final String PRIMARY = "primary";

  private final List<DataSource> pools = new ArrayList<>();

  ReadWriteSplit(DataSource primary, Map<String, DataSource> replicas) {
    Routing routing = new Routing(List.copyOf(replicas.keySet()));
    Map<Object, Object> targets = new HashMap<>(replicas);
    targets.put(PRIMARY, primary);
    routing.setTargetDataSources(targets);
    routing.setDefaultTargetDataSource(primary);
    routing.afterPropertiesSet();
    setTargetDataSource(routing);
    afterPropertiesSet();
    pools.add(primary);
    pools.addAll(replicas.values());
  }

  /** Closes the pools with the context (the bean's inferred destroy method). */
  @Override
  public void close() {
    for (DataSource pool : pools) {
      if (pool instanceof HikariDataSource hikari) {
        hikari.close();
      }
    }
  }

  private static final class Routing extends AbstractRoutingDataSource {
    private final List<String> replicas;
    private final AtomicInteger next = new AtomicInteger();

    Routing(List<String> replicas) {
      this.replicas = replicas;
    }

    @Override
    protected Object determineCurrentLookupKey() {
      if (!TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
        return PRIMARY;
      }
      String replica = replicas.get(Math.floorMod(next.getAndIncrement(), replicas.size()));
      ReadTrace.routed(replica);
      return replica;
    }
  }
}
