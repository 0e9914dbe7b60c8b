/**
 * Spring Boot auto-configuration for Catchup: the application's {@code DataSource} from the
 * {@code catchup.*} properties ({@link dev.catchup.spring.autoconfigure.CatchupDataSourceAutoConfiguration},
 * {@link dev.catchup.spring.autoconfigure.CatchupProperties}), token propagation
 * ({@link dev.catchup.spring.autoconfigure.CatchupPropagationAutoConfiguration}), and the Actuator
 * health indicator and info entry
 * ({@link dev.catchup.spring.autoconfigure.CatchupActuatorAutoConfiguration}). A refused or missing
 * property fails the start with a {@link dev.catchup.spring.autoconfigure.CatchupConfigurationException}
 * naming it, which the failure analyzer reports.
 *
 * <p>One jar serves Spring Boot 3.5 and 4.0: the few Boot types whose package moved in 4.0
 * (health indicator, HTTP client customizers, the data source auto-configuration it runs before)
 * are named, not referenced ({@code MovedBootTypes}).
 */
package dev.catchup.spring.autoconfigure;
