/**
 * The Logback adapter: an appender that encodes each event once and hands it to the shipping core.
 */
@NullMarked
package io.github.cloudwatchlogging.logback;

import org.jspecify.annotations.NullMarked;
