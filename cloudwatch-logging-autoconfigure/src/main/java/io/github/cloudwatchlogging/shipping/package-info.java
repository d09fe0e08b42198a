/**
 * The shipping core: queue, batcher, sender and worker. It knows CloudWatch Logs and the AWS SDK, but no
 * logging framework and no Spring type, so every adapter (Logback today) drives the same pipeline.
 */
@NullMarked
package io.github.cloudwatchlogging.shipping;

import org.jspecify.annotations.NullMarked;
