/**
 * Catchup on Micrometer: {@link dev.catchup.micrometer.MicrometerCatchupMetrics} implements the
 * SDK's {@link dev.catchup.sdk.CatchupMetrics} hooks as meters and registers the internal HikariCP
 * pools' own meters ({@code poolMetrics}); {@link dev.catchup.micrometer.CatchupDataSourceMeters}
 * is the {@link io.micrometer.core.instrument.binder.MeterBinder} of a data source's gauges
 * (routing mode, topology generation). The meters, their tags and their Prometheus names are listed
 * in the module's README.
 */
package dev.catchup.micrometer;
