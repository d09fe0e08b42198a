/**
 * Spring Boot integration: {@code logging.cloudwatch.*} properties, early installation of the appender, and the
 * auto-configuration that connects the shipper to the application's AWS settings.
 */
@NullMarked
package io.github.cloudwatchlogging.autoconfigure;

import org.jspecify.annotations.NullMarked;
