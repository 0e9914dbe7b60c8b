package dev.catchup.samples.shop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** The shop's one table, in plain JDBC: what any service would write, Catchup or not. */
final class Orders {
  static final String SCHEMA = "CREATE DATABASE IF NOT EXISTS shop";
  static final String TABLE = "CREATE TABLE IF NOT EXISTS shop.orders ("
      + "id BIGINT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(64) NOT NULL, "
      + "item VARCHAR(64) NOT NULL, quantity INT NOT NULL, unit_price_cents INT NOT NULL, "
      + "status VARCHAR(16) NOT NULL)";

  /** An order as stored. */
  record Order(long id, String customer, String item, int quantity, int unitPriceCents,
      String status) {}

  private Orders() {}

  static Order insert(Connection c, String customer, String item, int quantity, int unitPriceCents)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO shop.orders "
        + "(customer, item, quantity, unit_price_cents, status) VALUES (?, ?, ?, ?, 'NEW')",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, customer);
      ps.setString(2, item);
      ps.setInt(3, quantity);
      ps.setInt(4, unitPriceCents);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return new Order(keys.getLong(1), customer, item, quantity, unitPriceCents, "NEW");
      }
    }
  }

  static Optional<Order> find(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, customer, item, quantity, "
        + "unit_price_cents, status FROM shop.orders WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            rs.getInt(5), rs.getString(6)));
      }
    }
  }

  static boolean setStatus(Connection c, long id, String status) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE shop.orders SET status = ? WHERE id = ?")) {
      ps.setString(1, status);
      ps.setLong(2, id);
      return ps.executeUpdate() == 1;
    }
  }
}
