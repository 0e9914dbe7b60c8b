/**
 * How the monitor reaches a server: {@link dev.catchup.monitor.connect.ServerEndpoint} (name,
 * validated host, port, account; JDBC connections with the monitor's timeouts and TLS errors that
 * say what failed) and {@link dev.catchup.monitor.connect.TlsSettings} (mode and trusted CA, for
 * JDBC and for the binlog client alike).
 */
package dev.catchup.monitor.connect;
