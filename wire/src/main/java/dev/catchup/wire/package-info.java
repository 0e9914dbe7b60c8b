/**
 * The contract of the monitor's {@code GET /stream}, written by the monitor and read by the SDK:
 * {@link dev.catchup.wire.StatusEvent} (one server's status, its JSON shape and its reader),
 * {@link dev.catchup.wire.StreamFormat} (event framing, the keep-alive and the schema version), and
 * the two ways a reader refuses an event: {@link dev.catchup.wire.MalformedEventException} (skip
 * it) and {@link dev.catchup.wire.IncompatibleStreamException} (a configuration error: stop
 * following that monitor). The JSON shape is documented in monitor/README-http.md.
 */
package dev.catchup.wire;
