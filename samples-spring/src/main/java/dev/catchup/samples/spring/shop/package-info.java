/**
 * What the two services share: the orders table through {@code JdbcTemplate}
 * ({@link dev.catchup.samples.spring.shop.OrderStore}) and the error replies. Plain Spring code;
 * Catchup comes in only as the {@code DataSource} the starter configures.
 */
package dev.catchup.samples.spring.shop;
