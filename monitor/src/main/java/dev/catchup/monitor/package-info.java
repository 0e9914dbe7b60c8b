/**
 * The Catchup monitor: a daemon that tails each replica's binlog, confirms which GTIDs each server
 * has made visible, computes lag, and serves it over HTTP (status, checks, waits, an event stream
 * for SDKs, Prometheus metrics). {@link dev.catchup.monitor.Main} is the command line;
 * {@link dev.catchup.monitor.Monitor} wires a {@link dev.catchup.monitor.MonitorConfig} into
 * trackers and the HTTP API. By feature: {@code connect} (reaching a server), {@code binlog}
 * (tailing it), {@code tracking} (confirming, the registry, lag), {@code lag} (lag history),
 * {@code stream} (the event stream), {@code http} (the API) and {@code background} (the run loop
 * and back-off every thread shares).
 */
package dev.catchup.monitor;
