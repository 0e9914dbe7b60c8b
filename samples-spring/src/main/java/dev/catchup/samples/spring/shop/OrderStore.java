package dev.catchup.samples.spring.shop;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The shop's one table, as any Spring service writes it: {@link JdbcTemplate}, writes in
 * transactions, reads in read-only ones. Nothing here knows about Catchup: which server runs a
 * statement is the {@code DataSource}'s business (Catchup's, or the naive split's).
 */
@Repository
public class OrderStore {
  private static final String COLUMNS = "id, customer, item, quantity, unit_price_cents, status";

  private final JdbcTemplate jdbc;

  public OrderStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  public Order place(String customer, String item, int quantity, int unitPriceCents) {
    KeyHolder key = new GeneratedKeyHolder();
    jdbc.update(c -> {
      PreparedStatement ps = c.prepareStatement("INSERT INTO shop.orders (customer, item, "
          + "quantity, unit_price_cents, status) VALUES (?, ?, ?, ?, 'NEW')",
          Statement.RETURN_GENERATED_KEYS);
      ps.setString(1, customer);
      ps.setString(2, item);
      ps.setInt(3, quantity);
      ps.setInt(4, unitPriceCents);
      return ps;
    }, key);
    return new Order(key.getKey().longValue(), customer, item, quantity, unitPriceCents, "NEW");
  }

  /** On a replica: the reads a shop makes most, and the ones that go stale when split naively. */
  @Transactional(readOnly = true)
  public Optional<Order> find(long id) {
    List<Order> found = jdbc.query("SELECT " + COLUMNS + " FROM shop.orders WHERE id = ?",
        (rs, n) -> new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            rs.getInt(5), rs.getString(6)), id);
    return found.stream().findFirst();
  }

  @Transactional
  public boolean setStatus(long id, String status) {
    return jdbc.update("UPDATE shop.orders SET status = ? WHERE id = ?", status, id) == 1;
  }
}
