/**
 * What a native image needs to know about the starter ahead of time.
 */
@NullMarked
package io.github.cloudwatchlogging.aot;

import org.jspecify.annotations.NullMarked;
