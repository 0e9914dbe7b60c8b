/**
 * The demo's read trace: where each request's read ran and what it waited on, reported in
 * {@code Catchup-Read-*} response headers that the driver tallies. Shared by the plain shop and the
 * Spring services ({@code samples-spring}); instrumentation for the comparison, not part of what an
 * application writes.
 */
package dev.catchup.samples.trace;
