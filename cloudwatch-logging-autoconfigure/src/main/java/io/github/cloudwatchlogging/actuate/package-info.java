/**
 * The {@code cloudwatchlogging} actuator endpoint.
 */
@NullMarked
package io.github.cloudwatchlogging.actuate;

import org.jspecify.annotations.NullMarked;
