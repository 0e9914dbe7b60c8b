/**
 * The demo's read trace in the Spring services: the shared {@code ReadTrace} (module
 * {@code samples-trace}) begun and ended per request, fed by the SDK's metrics hooks, and written
 * as the response headers the driver tallies. Instrumentation for the comparison, not part of what
 * an application writes.
 */
package dev.catchup.samples.spring.trace;
