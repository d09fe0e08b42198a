#!/usr/bin/env bash
# Runs the sample app against a local CloudWatch Logs emulator (moto) on 127.0.0.1, sends two requests, prints the
# actuator endpoint's JSON, the health indicator, the meters and the events read back from the emulator (the main
# stream and the "problems" route), then stops everything. Arguments are passed to the app, for example
# sample-app/run-with-moto.sh --logging.cloudwatch.format=ecs  (WIDTH=900 prints more of each event than 200 characters).
# --metrics (first) turns on the meters as CloudWatch metrics (a 2 s step) and prints one EMF document read back.
# Needs only a JDK 17+ and Python 3 (moto is installed into target/moto-venv when it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
METRICS=()
if [[ "${1:-}" == "--metrics" ]]; then
    shift
    METRICS=(--logging.cloudwatch.metrics.enabled=true --logging.cloudwatch.metrics.step=2s)
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 120); do curl -fs "$1" > /dev/null 2>&1 && return 0; sleep 0.5; done; echo "timed out waiting for $1" >&2; return 1; }

MOTO_PORT=$(free_port)
APP_PORT=$(free_port)
if command -v moto_server > /dev/null 2>&1; then
    MOTO=(moto_server)
elif python3 -c 'import moto.server' > /dev/null 2>&1; then
    MOTO=(python3 -m moto.server)
else
    python3 -m venv target/moto-venv && target/moto-venv/bin/pip install --quiet 'moto[server]'
    MOTO=(target/moto-venv/bin/moto_server)
fi
mkdir -p target
"${MOTO[@]}" -H 127.0.0.1 -p "$MOTO_PORT" > target/moto-demo.log 2>&1 &
MOTO_PID=$!
APP_PID=
trap 'kill $APP_PID $MOTO_PID 2> /dev/null || true' EXIT
wait_for "http://127.0.0.1:$MOTO_PORT/moto-api/"

./mvnw -q -B clean install -DskipTests
mkdir -p target
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
java -jar sample-app/target/sample-app-*.jar --server.port="$APP_PORT" --server.address=127.0.0.1 \
    --logging.cloudwatch.endpoint="http://127.0.0.1:$MOTO_PORT" ${METRICS[@]+"${METRICS[@]}"} "$@" \
    > target/sample-app.log 2>&1 &
APP_PID=$!
wait_for "http://127.0.0.1:$APP_PORT/actuator/health"

curl -s "http://127.0.0.1:$APP_PORT/orders/42"; echo
curl -s "http://127.0.0.1:$APP_PORT/orders/abc"; echo
if [[ ${#METRICS[@]} -gt 0 ]]; then
    sleep 5 # two steps of the metrics
fi
echo "--- POST /actuator/cloudwatchlogging (flush now)"
curl -s -X POST "http://127.0.0.1:$APP_PORT/actuator/cloudwatchlogging"; echo
echo "--- GET /actuator/cloudwatchlogging"
STATUS=$(curl -s "http://127.0.0.1:$APP_PORT/actuator/cloudwatchlogging")
echo "$STATUS" | python3 -m json.tool

echo "--- GET /actuator/health/cloudwatchLogging"
curl -s "http://127.0.0.1:$APP_PORT/actuator/health/cloudwatchLogging" | python3 -m json.tool
echo "--- meters (GET /actuator/metrics/cloudwatch.logging.*)"
for query in "cloudwatch.logging.events?tag=route:main&tag=outcome:sent" \
        "cloudwatch.logging.events?tag=route:problems&tag=outcome:sent" \
        "cloudwatch.logging.events?tag=route:main&tag=outcome:dropped" \
        "cloudwatch.logging.requests?tag=route:main" "cloudwatch.logging.queue.events?tag=route:main"; do
    curl -s "http://127.0.0.1:$APP_PORT/actuator/metrics/$query" | QUERY="$query" python3 -c '
import json, os, sys
meter = json.load(sys.stdin)
print(os.environ["QUERY"], ", ".join("%s=%g" % (m["statistic"], m["value"]) for m in meter["measurements"]))'
done

echo "--- events read back from the emulator"
STATUS="$STATUS" MOTO_PORT="$MOTO_PORT" python3 - <<'PY'
import json, os
import boto3
status = json.loads(os.environ["STATUS"])
logs = boto3.client("logs", endpoint_url="http://127.0.0.1:%s" % os.environ["MOTO_PORT"], region_name="us-east-1",
                    aws_access_key_id="test", aws_secret_access_key="test")
destinations = [status] + list(status.get("routes", {}).values())
for destination in destinations:
    events = logs.get_log_events(logGroupName=destination["logGroup"], logStreamName=destination["logStream"],
                                 startFromHead=True)["events"]
    print("%d events in %s / %s" % (len(events), destination["logGroup"], destination["logStream"]))
    for event in events:
        print("  " + event["message"].rstrip("\n").splitlines()[0][:int(os.environ.get("WIDTH", "200"))])
    documents = [e["message"] for e in events if e["message"].startswith('{"_aws"')]
    if documents:
        print("one Embedded Metric Format document of %d, in full:" % len(documents))
        print(json.dumps(json.loads(documents[0]), indent=2))
PY
