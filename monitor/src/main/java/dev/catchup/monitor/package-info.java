/**
 * The Catchup monitor: a daemon that tails each replica's binlog, confirms which GTIDs each server
 * has made visible, computes lag, and serves it over HTTP (status, checks, waits, an event stream
 * for SDKs, Prometheus metrics). {@link dev.catchup.monitor.Main} is the command line;
 * {@link dev.catchup.monitor.Monitor} wires a {@link dev.catchup.monitor.MonitorConfig} into
 * trackers ({@code tracking}) and the HTTP API ({@code http}).
 */
package dev.catchup.monitor;
