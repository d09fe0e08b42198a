#!/usr/bin/env bash
# Runs the benchmarks: JMH (burst throughput and bytes allocated per call, side by side with Logback's
# AsyncAppender), the load driver (fixed-rate latency, retained heap, end to end, start-up), then ours beside
# the peers (pjer's and kdgregory's appenders, each in its own JVM against one loopback sink).
#   benchmarks/run.sh           the full run (about 35 minutes on 2 cores)
#   benchmarks/run.sh --peers   only ours beside the peers (about 18 minutes)
#   benchmarks/run.sh --quick   a few minutes: proves everything still runs (CI); its figures mean little
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=false
PEERS_ONLY=false
[[ "${1:-}" == "--quick" ]] && QUICK=true
[[ "${1:-}" == "--peers" ]] && PEERS_ONLY=true
if [[ ! -f benchmarks/target/classpath.txt ]]; then
    ./mvnw -q -B package -DskipTests -pl benchmarks -am
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if $QUICK; then
    JMH_ARGS=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
    DRIVER_ARGS=(--quick)
    PEER_ARGS=(--quick)
else
    JMH_ARGS=(-f 2 -wi 3 -w 5s -i 5 -r 5s)
    DRIVER_ARGS=()
    PEER_ARGS=()
fi
if $PEERS_ONLY; then
    exec "$JAVA" -cp "$CP" io.github.cloudwatchlogging.benchmarks.PeerComparison "${PEER_ARGS[@]}"
fi
for threads in 1 4; do
    echo "### JMH burst, $threads thread(s)"
    "$JAVA" -cp "$CP" org.openjdk.jmh.Main LoggingCallBenchmark -t "$threads" -prof gc "${JMH_ARGS[@]}" \
        | grep -E "^Benchmark|^LoggingCallBenchmark|cloudwatch: enqueued"
done
echo
"$JAVA" -Xmx1g -cp "$CP" io.github.cloudwatchlogging.benchmarks.LoadDriver "${DRIVER_ARGS[@]}"
echo
"$JAVA" -cp "$CP" io.github.cloudwatchlogging.benchmarks.PeerComparison "${PEER_ARGS[@]}"
