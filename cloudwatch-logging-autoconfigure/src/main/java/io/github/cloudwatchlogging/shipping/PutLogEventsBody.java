package io.github.cloudwatchlogging.shipping;

import java.io.ByteArrayInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * The JSON body of one PutLogEvents call, written straight from the events' UTF-8 bytes into a buffer that its
 * sending thread reuses for every call: no String per event and no SDK marshalling, which together took a third
 * of the shipper's CPU (benchmarks/README.md, issue 15). The messages are valid UTF-8 already (the worker made
 * them so), so multi-byte characters are copied as they are and only what JSON requires is escaped.
 */
final class PutLogEventsBody {

    /** A buffer past this size (a body of escaped control characters) is let go after its call, not kept. */
    static final int KEPT_BYTES = 2 * 1024 * 1024;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] GROUP = ascii("{\"logGroupName\":\"");

    private static final byte[] STREAM = ascii("\",\"logStreamName\":\"");

    private static final byte[] EVENTS = ascii("\",\"logEvents\":[");

    private static final byte[] TIMESTAMP = ascii("{\"timestamp\":");

    private static final byte[] MESSAGE = ascii(",\"message\":\"");

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final long ONES = 0x0101010101010101L;

    private static final long HIGHS = 0x8080808080808080L;

    private byte[] buffer = new byte[64 * 1024];

    private int length;

    /** The last timestamp written, and where its digits are in the buffer. */
    private long lastTimestamp;

    private int lastDigitsAt;

    private int lastDigits;

    /** Writes the body of a call putting {@code events} (in their order) to the group and stream. */
    PutLogEventsBody write(String group, String stream, LogEvent[] events) {
        this.length = 0;
        this.lastDigits = 0;
        append(GROUP);
        appendEscaped(group.getBytes(StandardCharsets.UTF_8));
        append(STREAM);
        appendEscaped(stream.getBytes(StandardCharsets.UTF_8));
        append(EVENTS);
        for (int i = 0; i < events.length; i++) {
            if (i > 0) {
                append((byte) ',');
            }
            append(TIMESTAMP);
            appendTimestamp(events[i].timestamp());
            append(MESSAGE);
            appendEscaped(events[i].message());
            append((byte) '"');
            append((byte) '}');
        }
        append((byte) ']');
        append((byte) '}');
        return this;
    }

    int length() {
        return this.length;
    }

    /** The body to hand to the SDK; opened once to sign it and once to send it, never copied. */
    ContentStreamProvider content() {
        byte[] bytes = this.buffer;
        int size = this.length;
        return () -> new ByteArrayInputStream(bytes, 0, size);
    }

    /** After the call: an unusually large buffer is dropped so that it does not stay for the thread's life. */
    void release() {
        if (this.buffer.length > KEPT_BYTES) {
            this.buffer = new byte[64 * 1024];
        }
    }

    /** For tests: the body as text. */
    String text() {
        return new String(this.buffer, 0, this.length, StandardCharsets.UTF_8);
    }

    /**
     * Copies runs of bytes that need no escape whole, found eight bytes at a time: a message is mostly such a run,
     * and this runs for every byte that is sent.
     */
    private void appendEscaped(byte[] utf8) {
        int i = 0;
        int end = utf8.length;
        while (i < end) {
            int run = i;
            while (i <= end - Long.BYTES && !anyToEscape((long) LONGS.get(utf8, i))) {
                i += Long.BYTES;
            }
            while (i < end && !toEscape(utf8[i])) {
                i++;
            }
            // Room for the run and one escape: the buffer grows with what is written, never by a guess.
            ensure(i - run + 6);
            System.arraycopy(utf8, run, this.buffer, this.length, i - run);
            this.length += i - run;
            if (i < end) {
                byte b = utf8[i++];
                if (b == '"' || b == '\\') {
                    this.buffer[this.length++] = '\\';
                    this.buffer[this.length++] = b;
                }
                else {
                    this.length = control(this.buffer, this.length, b);
                }
            }
        }
    }

    /** A quote, a backslash or a control character; a byte of a multi-byte character goes as it is. */
    private static boolean toEscape(byte b) {
        return b == '"' || b == '\\' || (b >= 0 && b < 0x20);
    }

    /** Whether any of eight bytes is one {@link #toEscape} names (a byte of 0x80 and up never is). */
    static boolean anyToEscape(long word) {
        long quote = word ^ (ONES * '"');
        long backslash = word ^ (ONES * '\\');
        long zeroQuote = (quote - ONES) & ~quote;
        long zeroBackslash = (backslash - ONES) & ~backslash;
        long belowSpace = (word - ONES * 0x20) & ~word;
        return ((zeroQuote | zeroBackslash | belowSpace) & HIGHS) != 0;
    }

    private static int control(byte[] out, int at, byte b) {
        out[at++] = '\\';
        switch (b) {
            case '\n' -> out[at++] = 'n';
            case '\r' -> out[at++] = 'r';
            case '\t' -> out[at++] = 't';
            case '\b' -> out[at++] = 'b';
            case '\f' -> out[at++] = 'f';
            default -> {
                out[at++] = 'u';
                out[at++] = '0';
                out[at++] = '0';
                out[at++] = HEX[b >> 4];
                out[at++] = HEX[b & 0xF];
            }
        }
        return at;
    }

    /** Events of one batch mostly share their millisecond: its digits are written once and copied after. */
    private void appendTimestamp(long value) {
        if (value == this.lastTimestamp && this.lastDigits > 0) {
            ensure(this.lastDigits);
            System.arraycopy(this.buffer, this.lastDigitsAt, this.buffer, this.length, this.lastDigits);
            this.lastDigitsAt = this.length;
            this.length += this.lastDigits;
            return;
        }
        int start = this.length;
        appendDecimal(value);
        this.lastTimestamp = value;
        this.lastDigitsAt = start;
        this.lastDigits = this.length - start;
    }

    private void appendDecimal(long value) {
        ensure(20);
        if (value < 0) {
            this.buffer[this.length++] = '-';
            value = -value;
        }
        int start = this.length;
        do {
            this.buffer[this.length++] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        while (value > 0);
        for (int i = start, j = this.length - 1; i < j; i++, j--) {
            byte swap = this.buffer[i];
            this.buffer[i] = this.buffer[j];
            this.buffer[j] = swap;
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, this.buffer, this.length, bytes.length);
        this.length += bytes.length;
    }

    private void append(byte b) {
        ensure(1);
        this.buffer[this.length++] = b;
    }

    private void ensure(int more) {
        if (this.length + more > this.buffer.length) {
            this.buffer = Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.length + more));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

}
