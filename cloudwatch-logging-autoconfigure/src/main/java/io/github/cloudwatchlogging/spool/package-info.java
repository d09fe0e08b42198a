/**
 * The crash-safe spool: events written to memory-mapped segment files before the logging call returns, settled
 * record by record, and recovered by the next process started on the same directory. See docs/SPOOL.md.
 */
@NullMarked
package io.github.cloudwatchlogging.spool;

import org.jspecify.annotations.NullMarked;
