#!/usr/bin/env bash
# Runs the benchmarks: JMH (burst throughput and bytes allocated per call, side by side with Logback's
# AsyncAppender) and the load driver (fixed-rate latency, retained heap, end to end, start-up).
#   benchmarks/run.sh           the full run (about 15 minutes on 2 cores)
#   benchmarks/run.sh --quick   seconds: proves everything still runs (CI); its figures mean little
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=false
[[ "${1:-}" == "--quick" ]] && QUICK=true
if [[ ! -f benchmarks/target/classpath.txt ]]; then
    ./mvnw -q -B package -DskipTests -pl benchmarks -am
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if $QUICK; then
    JMH_ARGS=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
    DRIVER_ARGS=(--quick)
else
    JMH_ARGS=(-f 2 -wi 3 -w 5s -i 5 -r 5s)
    DRIVER_ARGS=()
fi
for threads in 1 4; do
    echo "### JMH burst, $threads thread(s)"
    "$JAVA" -cp "$CP" org.openjdk.jmh.Main LoggingCallBenchmark -t "$threads" -prof gc "${JMH_ARGS[@]}" \
        | grep -E "^Benchmark|^LoggingCallBenchmark|cloudwatch: enqueued"
done
echo
"$JAVA" -Xmx1g -cp "$CP" io.github.cloudwatchlogging.benchmarks.LoadDriver "${DRIVER_ARGS[@]}"
