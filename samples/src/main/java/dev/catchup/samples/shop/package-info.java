/**
 * The sample shop: two small HTTP services over one primary and its replicas. {@code orders} places
 * orders and, right after each write, asks {@code billing} for the invoice, passing the Catchup
 * token in a header; {@code billing} reads the order from a replica honouring that token. Each
 * endpoint is served twice: under {@code /} through Catchup's data source and under {@code /naive/}
 * through plain read/write splitting, so one running service shows the problem and its cure.
 */
package dev.catchup.samples.shop;
