package io.github.cloudwatchlogging.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import io.github.cloudwatchlogging.shipping.ShipperStatistics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A burst: logging calls as fast as the threads can make them, through our appender (to a sink that accepts every
 * batch at once) and through Logback's AsyncAppender, side by side. Run with -t 1 and -t 4, and -prof gc for the
 * bytes allocated per call. Each call puts one of 8 tenants in the MDC first, for every pipeline alike;
 * {@code cloudwatchPerTenant} names its stream by it ({@code bench/{mdc:tenant:-shared}}). No pipeline drops: ours blocks when its queue is full, and so does AsyncAppender
 * with discarding off; drops would be printed at tear-down.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LoggingCallBenchmark {

    @Param({ "cloudwatch", "cloudwatchSpool", "cloudwatchPerTenant", "asyncAppender" })
    public String pipeline;

    private Pipelines.Pipeline target;

    private final AtomicLong orders = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        this.target = switch (this.pipeline) {
            case "cloudwatch" -> Pipelines.cloudWatch(Pipelines.acceptingSink(), OverflowPolicy.BLOCK, 4);
            case "cloudwatchSpool" -> Pipelines.cloudWatch(Pipelines.acceptingSink(), OverflowPolicy.BLOCK, 4, true);
            case "cloudwatchPerTenant" -> Pipelines.cloudWatchPerTenant(Pipelines.acceptingSink(), OverflowPolicy.BLOCK,
                    4);
            default -> Pipelines.asyncAppender();
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        this.target.stop();
        if (this.target.shipper() != null) {
            ShipperStatistics statistics = this.target.shipper().statistics();
            System.out.println("cloudwatch: enqueued " + statistics.enqueued() + ", sent " + statistics.sent()
                    + ", dropped " + statistics.droppedTotal());
        }
    }

    @Benchmark
    public void logOneEvent() {
        long order = this.orders.incrementAndGet();
        Pipelines.nextTenant(order); // every pipeline alike; only cloudwatchPerTenant's stream names read it
        this.target.logger().info(Pipelines.MESSAGE, order, "c-1042", 3);
    }

}
