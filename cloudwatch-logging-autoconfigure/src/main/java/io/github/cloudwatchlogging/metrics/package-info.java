/**
 * Micrometer meters of the shipper, under {@code cloudwatch.logging.*}.
 */
@NullMarked
package io.github.cloudwatchlogging.metrics;

import org.jspecify.annotations.NullMarked;
