/**
 * The {@code cloudwatchlogging} actuator endpoint and the {@code cloudwatchLogging} health indicator.
 */
@NullMarked
package io.github.cloudwatchlogging.actuate;

import org.jspecify.annotations.NullMarked;
