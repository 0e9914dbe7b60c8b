package dev.catchup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catchup.gtid.Flavor;
import dev.catchup.testkit.Server;
import dev.catchup.testkit.Topologies;
import dev.catchup.testkit.Topology;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Unchanged JPA code over the data source: a read-only {@link JpaTransactionManager} transaction
 * over Hibernate (what {@code @Transactional(readOnly = true)} runs with JPA) goes to a replica and
 * sees the entity the previous read-write transaction wrote, with the replicas applying a second
 * behind; read-write transactions go to the primary.
 *
 * <p><b>What a JPA user must configure: nothing beyond the usual Spring setup, as long as the
 * Spring default that holds Hibernate's connection for the whole transaction is left alone.</b>
 * Catchup routes on {@code Connection.setReadOnly(true)}. Under JPA, Spring's
 * {@code HibernateJpaDialect} makes that call only when both hold:
 * <ul>
 *   <li>its {@code prepareConnection} flag is on (the default), and</li>
 *   <li>Hibernate keeps one connection until the session closes, i.e.
 *       {@code hibernate.connection.handling_mode} is {@code DELAYED_ACQUISITION_AND_HOLD}
 *       (release mode {@code ON_CLOSE}).</li>
 * </ul>
 * {@link HibernateJpaVendorAdapter} sets that handling mode itself, and Spring Boot builds JPA with
 * that adapter, so the ordinary setup routes. Otherwise Spring skips {@code setReadOnly} without a
 * word and every read-only transaction runs on the primary: still correct, but nothing is offloaded
 * to the replicas. That happens when {@code hibernate.connection.handling_mode} (Boot:
 * {@code spring.jpa.properties.hibernate.connection.handling_mode}) is set to a mode that releases
 * after each transaction or statement, when {@code HibernateJpaDialect.setPrepareConnection(false)}
 * is called, or when the entity manager factory is built without {@code HibernateJpaVendorAdapter}
 * (then {@code JpaTransactionManager} falls back to {@code DefaultJpaDialect}, which never touches
 * the connection, and Hibernate's own default mode releases after each transaction). The second
 * test pins this, so a change in Spring shows up as a failing test rather than a wrong comment.
 */
class JpaTransactionsIT {
  private static final int MISSING = -1;

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readOnlyJpaTransaction_onReplica_seesPreviousWrite(Flavor flavor) throws Exception {
    Topology t = Topologies.shared(flavor);
    createOrdersTable(t);
    for (Server r : t.replicas()) {
      t.setDelay(r, Duration.ofSeconds(1));
    }
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics)
        .readPolicy(ReadPolicy.WAIT).maxWait(Duration.ofSeconds(20)).build();
        EntityManagerFactory emf = entityManagerFactory(t, ds, Map.of())) {
      // What @PersistenceContext injects: one EntityManager per transaction, so every find
      // below reads the database rather than a persistence context left from the write.
      EntityManager em = SharedEntityManagerCreator.createSharedEntityManager(emf);
      JpaTransactionManager tm = new JpaTransactionManager(emf);
      TransactionTemplate readWrite = new TransactionTemplate(tm);
      TransactionTemplate readOnly = new TransactionTemplate(tm);
      readOnly.setReadOnly(true);

      // One request: a session bound to the thread, as a servlet filter would.
      try (CatchupDataSource.Scope scope = ds.bind(ds.newSession())) {
        String id = UUID.randomUUID().toString();
        long writtenOn = readWrite.execute(tx -> {
          JpaOrder order = new JpaOrder(id, "widget", 1);
          em.persist(order);
          em.flush(); // the INSERT runs now, so the change below is a second statement
          order.setQuantity(2);
          return serverId(em);
        });
        assertThat(writtenOn).as("the read-write transaction ran on the primary")
            .isEqualTo(t.primary().serverId());
        // Without Catchup's wait a replica read now would be stale: no replica has the row yet.
        assertThat(onReplicas(t, id)).as("plain replica reads right after the write")
            .containsOnly(MISSING);

        Seen first = readOnly.execute(tx -> seen(em, id));
        assertThat(first.quantity()).as("the read-only transaction sees the write").isEqualTo(2);
        assertThat(first.serverId()).as("the read-only transaction ran on a replica")
            .isIn(serverIds(t.replicas()));
        assertThat(metrics.get("REPLICA")).as("reads routed to a replica").isEqualTo(1);

        readWrite.executeWithoutResult(tx -> em.find(JpaOrder.class, id).setQuantity(3));
        assertThat(onReplicas(t, id)).as("plain replica reads right after the second write")
            .doesNotContain(3);
        Seen second = readOnly.execute(tx -> seen(em, id));
        assertThat(second.quantity()).as("the next read-only transaction sees the update")
            .isEqualTo(3);
        assertThat(second.serverId()).isIn(serverIds(t.replicas()));
        assertThat(metrics.get("REPLICA")).as("reads routed to a replica").isEqualTo(2);
        assertThat(metrics.get("PRIMARY")).as("reads routed to the primary").isZero();
      }
    } finally {
      t.replicas().forEach(r -> t.setDelay(r, Duration.ZERO));
    }
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void readOnlyJpaTransaction_connectionReleasedAfterTransaction_runsOnPrimary(Flavor flavor)
      throws Exception {
    Topology t = Topologies.shared(flavor);
    createOrdersTable(t);
    SdkFixtures.CountingMetrics metrics = new SdkFixtures.CountingMetrics();
    try (CatchupDataSource ds = SdkFixtures.builder(t).metrics(metrics).build();
        EntityManagerFactory emf = entityManagerFactory(t, ds, Map.of(
            "hibernate.connection.handling_mode",
            "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION"))) {
      EntityManager em = SharedEntityManagerCreator.createSharedEntityManager(emf);
      JpaTransactionManager tm = new JpaTransactionManager(emf);
      TransactionTemplate readOnly = new TransactionTemplate(tm);
      readOnly.setReadOnly(true);

      try (CatchupDataSource.Scope scope = ds.bind(ds.newSession())) {
        String id = UUID.randomUUID().toString();
        new TransactionTemplate(tm).executeWithoutResult(tx ->
            em.persist(new JpaOrder(id, "gadget", 5)));
        Seen seen = readOnly.execute(tx -> seen(em, id));
        assertThat(seen.quantity()).isEqualTo(5);
        assertThat(seen.serverId()).as("read-only was never set on the connection")
            .isEqualTo(t.primary().serverId());
        assertThat(metrics.get("REPLICA")).isZero();
      }
    }
  }

  /**
   * The Spring way to build JPA without persistence.xml, as Spring Boot does. Hibernate must not
   * touch the schema: the test creates the table and waits until the replicas have it.
   */
  private static EntityManagerFactory entityManagerFactory(Topology t, DataSource ds,
      Map<String, Object> properties) {
    LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
    factory.setDataSource(ds);
    factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
    factory.setManagedTypes(PersistenceManagedTypes.of(JpaOrder.class.getName()));
    Map<String, Object> all = new HashMap<>(properties);
    if (t.flavor() == Flavor.MARIADB) {
      // Connector/J reports MariaDB as "MySQL 5.5.5-10.x", which Hibernate would take for an old
      // MySQL; name the database so it picks its MariaDB dialect at the right version.
      String[] version = t.version().split("[.-]");
      all.put("jakarta.persistence.database-product-name", "MariaDB");
      all.put("jakarta.persistence.database-major-version", version[0]);
      all.put("jakarta.persistence.database-minor-version", version[1]);
    }
    all.put("hibernate.hbm2ddl.auto", "none");
    factory.setJpaPropertyMap(all);
    factory.afterPropertiesSet();
    return factory.getObject();
  }

  /** Creates {@code jpa_orders} on the primary and waits until every replica has it. */
  private static void createOrdersTable(Topology t) throws SQLException {
    try (Connection c = t.connect(t.primary()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS jpa_orders (id VARCHAR(64) PRIMARY KEY,"
          + " item VARCHAR(64) NOT NULL, quantity INT NOT NULL)");
    }
    for (Server r : t.replicas()) {
      t.setDelay(r, Duration.ZERO);
      if (!t.awaitCaughtUp(r, Duration.ofSeconds(60))) {
        throw new IllegalStateException(r.name() + " did not catch up");
      }
    }
  }

  /** The order's quantity on each replica, read directly (not through Catchup). */
  private static List<Integer> onReplicas(Topology t, String id) throws SQLException {
    List<Integer> quantities = new ArrayList<>();
    for (Server r : t.replicas()) {
      try (Connection c = t.connect(r);
          PreparedStatement ps =
              c.prepareStatement("SELECT quantity FROM jpa_orders WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          quantities.add(rs.next() ? rs.getInt(1) : MISSING);
        }
      }
    }
    return quantities;
  }

  private static Seen seen(EntityManager em, String id) {
    JpaOrder order = em.find(JpaOrder.class, id);
    return new Seen(order == null ? MISSING : order.quantity(), serverId(em));
  }

  /** Which server the current transaction's connection is on. */
  private static long serverId(EntityManager em) {
    return ((Number) em.createNativeQuery("SELECT @@server_id").getSingleResult()).longValue();
  }

  private static List<Long> serverIds(List<Server> servers) {
    return servers.stream().map(Server::serverId).toList();
  }

  /** What a read-only transaction found, and where. */
  private record Seen(int quantity, long serverId) {}

  /** An order; not final, with a no-argument constructor, because Hibernate instantiates it. */
  @Entity
  @Table(name = "jpa_orders")
  static class JpaOrder {
    @Id
    private String id;
    private String item;
    private int quantity;

    protected JpaOrder() {}

    JpaOrder(String id, String item, int quantity) {
      this.id = id;
      this.item = item;
      this.quantity = quantity;
    }

    int quantity() {
      return quantity;
    }

    void setQuantity(int quantity) {
      this.quantity = quantity;
    }

    @Override
    public String toString() {
      return "JpaOrder[" + id + ", " + item + " x" + quantity + "]";
    }
  }
}
