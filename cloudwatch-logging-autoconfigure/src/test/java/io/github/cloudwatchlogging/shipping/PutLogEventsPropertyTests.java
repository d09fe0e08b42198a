package io.github.cloudwatchlogging.shipping;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random Unicode (lone surrogates, NUL, emoji, right-to-left, combining marks), sizes from 0 to 2 MB and timestamps
 * in any order, too old, too new and spread over days, through the whole shipper: every batch it sends passes a
 * strict check of every PutLogEvents rule, and every event is delivered byte-exact (Java's UTF-8 encoding, which
 * puts {@code ?} in place of an unpaired surrogate), delivered truncated with its marker, or counted as rejected or
 * dropped with its reason.
 */
class PutLogEventsPropertyTests {

    private static final int MAX_EVENT_BYTES = ShipperSettings.builder("g", "s").build().maxEventBytes();

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    /** Pieces text is made of; cutting a string anywhere can also leave half of a surrogate pair. */
    private static final String[] PIECES = { "a", "Z", "0", " ", "\t", "\n", "\u0000", "\u007f", "é", "\u00ff",
            "\u20ac", "中文", "\uD83D\uDE00", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u05E9\u05DC\u05D5\u05DD",
            "\u0645\u0631\u062D\u0628\u0627", "\u202E", "\u200F", "e\u0301", "\u0301\u0302\u0303", "\uD83D", "\uDE00",
            "\uFEFF", "\uFFFD", "\uDBFF\uDFFF", "\"{}\\", "%s" };

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(40, Arbitraries.integers().between(1, 300)),
                net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(300, 100_000)),
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(MAX_EVENT_BYTES / 4 - 64, MAX_EVENT_BYTES / 4 + 64)),
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(MAX_EVENT_BYTES - 64, MAX_EVENT_BYTES + 64)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(MAX_EVENT_BYTES, 2 * 1024 * 1024)));
        Arbitrary<List<String>> pieces = Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(12);
        return Combinators.combine(pieces, lengths).as(PutLogEventsPropertyTests::textOfLength);
    }

    /** Repeats the pieces up to the length in UTF-16 units and cuts there, wherever that falls. */
    private static String textOfLength(List<String> pieces, int length) {
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            for (String piece : pieces) {
                text.append(piece);
            }
        }
        text.setLength(length);
        return text.toString();
    }

    /** Offsets from now, clear of the window's edges by a minute so the run's own time cannot flip a verdict. */
    @Provide
    Arbitrary<Long> timestampOffsets() {
        long day = Duration.ofDays(1).toMillis();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, Arbitraries.longs().between(-Duration.ofDays(14).toMillis() + MINUTE,
                        Duration.ofHours(2).toMillis() - MINUTE)),
                net.jqwik.api.Tuple.of(15, Arbitraries.longs().between(-3 * day, 3 * day)
                    .filter((offset) -> Math.abs(offset) < Duration.ofHours(2).toMillis() - MINUTE)),
                net.jqwik.api.Tuple.of(10, Arbitraries.longs().between(-400 * day, -Duration.ofDays(14).toMillis() - MINUTE)),
                net.jqwik.api.Tuple.of(10, Arbitraries.longs().between(Duration.ofHours(2).toMillis() + MINUTE, 30 * day)));
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        return Combinators.combine(messages(), timestampOffsets()).as(Input::new).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 40)
    void everyBatchIsValidAndEveryEventIsAccountedFor(@ForAll("inputs") List<Input> inputs) {
        ValidatingSender sender = new ValidatingSender();
        // BLOCK with a generous timeout and a small batch limit: nothing is dropped, so each event's fate is exact.
        LogShipper shipper = new LogShipper(ShipperSettings.builder("group", "stream")
            .overflowPolicy(OverflowPolicy.BLOCK)
            .blockTimeout(Duration.ofSeconds(30))
            .maxBatchEvents(7)
            .batchDelay(Duration.ofMillis(5))
            .build(), ShipperDiagnostics.NONE);
        shipper.start(sender);
        long now = System.currentTimeMillis();
        Map<Long, Expected> expected = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            // Unique timestamps tell the events apart, whatever their text: whole seconds apart, plus the index.
            long timestamp = now + Math.floorDiv(input.offset(), 1000) * 1000 + i;
            expected.put(timestamp, new Expected(input.text(), timestamp, now));
            shipper.offer(timestamp, EventMessages.encode(input.text()));
        }
        ShipperStatistics stats = shipper.stop().statistics();

        assertThat(sender.violations).isEmpty();
        long delivered = 0;
        Map<RejectReason, Long> rejected = new HashMap<>();
        for (LogEvent event : sender.events) {
            Expected wanted = expected.remove(event.timestamp());
            assertThat(wanted).as("an event sent once, and only one the app logged").isNotNull();
            assertThat(wanted.rejectReason).as("an event outside the timestamp window was sent").isNull();
            if (wanted.bytes.length > MAX_EVENT_BYTES) {
                byte[] marker = EventMessages.truncationMarker(wanted.bytes.length);
                byte[] message = event.message();
                assertThat(message.length).isLessThanOrEqualTo(MAX_EVENT_BYTES);
                assertThat(Arrays.copyOfRange(message, message.length - marker.length, message.length))
                    .isEqualTo(marker);
                byte[] kept = Arrays.copyOf(message, message.length - marker.length);
                assertThat(Arrays.copyOf(wanted.bytes, kept.length)).as("truncated to a prefix").isEqualTo(kept);
                assertThat(MAX_EVENT_BYTES - message.length).as("cut no further back than one character")
                    .isLessThan(4);
            }
            else {
                assertThat(event.message()).as("byte-exact").isEqualTo(wanted.bytes);
            }
            delivered++;
        }
        long truncated = inputs.stream()
            .filter((input) -> EventMessages.encode(input.text()).length > MAX_EVENT_BYTES)
            .count();
        for (Expected left : expected.values()) {
            assertThat(left.rejectReason).as("an event in the window that was never sent: %s", left).isNotNull();
            rejected.merge(left.rejectReason, 1L, Long::sum);
        }
        assertThat(stats.sent()).isEqualTo(delivered);
        assertThat(stats.truncated()).as("truncated, whether sent or refused later").isEqualTo(truncated);
        assertThat(stats.droppedTotal()).isZero();
        assertThat(stats.rejected().get(RejectReason.TOO_OLD)).isEqualTo(rejected.getOrDefault(RejectReason.TOO_OLD, 0L));
        assertThat(stats.rejected().get(RejectReason.TOO_NEW)).isEqualTo(rejected.getOrDefault(RejectReason.TOO_NEW, 0L));
        assertThat(stats.logged()).isEqualTo(inputs.size());
        assertThat(stats.unaccounted()).isZero();
    }

    @Property(tries = 25)
    void aQueueTooSmallDropsWithReasonsAndStillSendsOnlyValidBatches(@ForAll("inputs") List<Input> inputs,
            @ForAll @IntRange(min = 0, max = 2) int policyIndex) {
        OverflowPolicy policy = OverflowPolicy.values()[policyIndex];
        ValidatingSender sender = new ValidatingSender();
        LogShipper shipper = new LogShipper(ShipperSettings.builder("group", "stream")
            .queueCapacityBytes(2 * 1024 * 1024)
            .overflowPolicy(policy)
            .blockTimeout(Duration.ofMillis(1))
            .build(), ShipperDiagnostics.NONE);
        // Not started until everything is offered: only the budget decides what is kept.
        long now = System.currentTimeMillis();
        for (int i = 0; i < inputs.size(); i++) {
            shipper.offer(now + inputs.get(i).offset() + i, EventMessages.encode(inputs.get(i).text()));
        }
        shipper.start(sender);
        ShipperStatistics stats = shipper.stop().statistics();
        assertThat(sender.violations).isEmpty();
        assertThat(stats.sent()).isEqualTo(sender.events.size());
        assertThat(stats.logged()).isEqualTo(inputs.size());
        assertThat(stats.sent() + stats.droppedTotal() + stats.rejectedTotal()).isEqualTo(inputs.size());
        assertThat(stats.dropped().get(DropReason.SHUTDOWN_TIMEOUT)).isZero();
        assertThat(stats.unaccounted()).isZero();
    }

    record Input(String text, long offset) {

        @Override
        public String toString() {
            String start = this.text.substring(0, Math.min(this.text.length(), 24));
            return "Input[" + this.text.length() + " chars starting " + start.codePoints()
                .mapToObj((codePoint) -> String.format("U+%04X", codePoint))
                .toList() + ", offset " + this.offset + " ms]";
        }

    }

    /** What must become of one event, worked out independently of the shipper. */
    static final class Expected {

        final byte[] bytes;

        final RejectReason rejectReason;

        Expected(String text, long timestamp, long now) {
            byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
            this.bytes = (encoded.length == 0) ? "(empty message)".getBytes(StandardCharsets.US_ASCII) : encoded;
            if (timestamp > now + Duration.ofHours(2).toMillis()) {
                this.rejectReason = RejectReason.TOO_NEW;
            }
            else if (timestamp < now - Duration.ofDays(14).toMillis()) {
                this.rejectReason = RejectReason.TOO_OLD;
            }
            else {
                this.rejectReason = null;
            }
        }

        @Override
        public String toString() {
            return this.bytes.length + " bytes, " + this.rejectReason;
        }

    }

    /** Accepts every batch, after checking it against every rule of PutLogEvents as the service would. */
    static final class ValidatingSender implements PutLogEventsSender {

        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        final List<String> violations = new CopyOnWriteArrayList<>();

        @Override
        public PutResult send(Batch batch) {
            long now = System.currentTimeMillis();
            List<LogEvent> batchEvents = new ArrayList<>(batch.events());
            check(!batchEvents.isEmpty() && batchEvents.size() <= 10_000, "1 to 10,000 events", batchEvents.size());
            long bytes = 0;
            long previous = Long.MIN_VALUE;
            for (LogEvent event : batchEvents) {
                byte[] message = event.message();
                bytes += message.length + 26;
                check(message.length >= 1, "a message of at least one byte", message.length);
                check(message.length + 26 <= 1_048_576, "an event within 1 MB", message.length);
                check(isStrictUtf8(message), "well-formed UTF-8", event.timestamp());
                check(event.timestamp() >= previous, "chronological order", event.timestamp());
                check(event.timestamp() <= now + Duration.ofHours(2).toMillis(), "at most 2 hours ahead",
                        event.timestamp());
                check(event.timestamp() >= now - Duration.ofDays(14).toMillis(), "at most 14 days old",
                        event.timestamp());
                previous = event.timestamp();
            }
            check(bytes <= 1_048_576, "at most 1,048,576 bytes with 26 per event", bytes);
            check(bytes == batch.putBytes(), "the batch's own byte count", batch.putBytes());
            if (!batchEvents.isEmpty()) {
                long span = batchEvents.get(batchEvents.size() - 1).timestamp() - batchEvents.get(0).timestamp();
                check(span <= Duration.ofHours(24).toMillis(), "a span of at most 24 hours", span);
            }
            this.events.addAll(batchEvents);
            return PutResult.ALL_ACCEPTED;
        }

        private void check(boolean holds, String rule, Object value) {
            if (!holds) {
                this.violations.add(rule + " broken by " + value);
            }
        }

        private static boolean isStrictUtf8(byte[] bytes) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
                return true;
            }
            catch (CharacterCodingException ex) {
                return false;
            }
        }

        @Override
        public void close() {
        }

    }

}
