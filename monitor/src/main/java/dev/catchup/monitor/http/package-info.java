/**
 * The monitor's HTTP API: status, load-balancer checks, "has a replica applied G?", long-poll
 * waits, the Server-Sent Events stream SDKs subscribe to ({@code stream} broadcasts it; here it is
 * routed and its events encoded, {@code StatusEvents}), Prometheus metrics, the probes
 * ({@code Probes}: liveness, readiness, health), the
 * lag history ({@code lag} samples it; {@code HistoryEndpoint} renders it) and the status page that
 * draws it for people.
 *
 * <p>Public: {@link dev.catchup.monitor.http.HttpApi} (start, port, close),
 * {@link dev.catchup.monitor.http.HttpSettings} and {@link dev.catchup.monitor.http.MetricsSource}.
 * Everything else is package-private: {@code Router} (auth, routing, errors) and one class per
 * concern for the endpoints. {@code StatusPage} serves {@code status-page.html}, a resource next to
 * these classes. Served by Jetty 12 core (no servlets): {@code ConnectionGuard} bounds what a
 * client can hold before it has sent a request, {@code ServerErrors} answers the errors the server
 * raises itself in the same JSON as the rest.
 */
package dev.catchup.monitor.http;
