/**
 * The Log4j2 appender that feeds the shipping core, for applications on {@code spring-boot-starter-log4j2}.
 */
@NullMarked
package io.github.cloudwatchlogging.log4j2;

import org.jspecify.annotations.NullMarked;
