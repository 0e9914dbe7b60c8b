/**
 * {@code /stream}, the Server-Sent Events SDKs subscribe to: {@link
 * dev.catchup.monitor.stream.StreamBroadcaster}, the one thread that coalesces registry changes
 * into events (encoded by a {@link dev.catchup.monitor.stream.StatusEncoder} the HTTP layer
 * gives it), and {@code Subscribers}/{@code Subscriber}, the connections with their bounded queues
 * and non-blocking writes (no thread per subscriber), dropping any subscriber that falls behind or
 * stalls.
 */
package dev.catchup.monitor.stream;
