package io.github.cloudwatchlogging.shipping;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A sender for tests: records every call and answers with whatever the script says for that call number. */
final class RecordingSender implements PutLogEventsSender {

    final List<Batch> accepted = new CopyOnWriteArrayList<>();

    final AtomicInteger calls = new AtomicInteger();

    final AtomicInteger maxConcurrent = new AtomicInteger();

    private final AtomicInteger concurrent = new AtomicInteger();

    private final Function<Integer, PutResult> script;

    volatile boolean closed;

    RecordingSender(Function<Integer, PutResult> script) {
        this.script = script;
    }

    static RecordingSender acceptingAll() {
        return new RecordingSender((call) -> PutResult.ALL_ACCEPTED);
    }

    @Override
    public PutResult send(Batch batch) {
        int call = this.calls.incrementAndGet();
        int now = this.concurrent.incrementAndGet();
        this.maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            PutResult result = this.script.apply(call);
            this.accepted.add(batch);
            return result;
        }
        finally {
            this.concurrent.decrementAndGet();
        }
    }

    @Override
    public void close() {
        this.closed = true;
    }

    long acceptedEvents() {
        return this.accepted.stream().mapToLong(Batch::size).sum();
    }

}
