package dev.catchup.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refused or missing {@code catchup.*} property into Boot's start-up failure report: what
 * is wrong, under the property's name, and what to set.
 */
final class CatchupFailureAnalyzer extends AbstractFailureAnalyzer<CatchupConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, CatchupConfigurationException cause) {
    return new FailureAnalysis(
        "The Catchup data source could not be configured: " + cause.getMessage(),
        "Set " + cause.property() + " correctly in the application's configuration (application.yaml,"
            + " application.properties or the environment); the catchup.* properties are listed in"
            + " the Catchup starter's README.",
        cause);
  }
}
