/**
 * The demo's read trace: where each request's read ran, in response headers the driver tallies.
 * Instrumentation for the comparison, not part of what an application writes.
 */
package dev.catchup.samples.spring.trace;
