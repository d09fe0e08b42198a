package io.github.cloudwatchlogging.shipping;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Makes sure a message is the UTF-8 that will go on the wire. Bytes that are not valid UTF-8 (an encoder with
 * another charset) would become U+FFFD, three bytes each, when the request is built, so a batch cut by the bytes
 * it was given could exceed the 1,048,576 bytes of a call. Runs on the worker, never on the logging thread; one
 * instance per worker, since the decoder and its buffer are reused.
 */
final class Utf8Check {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final long HIGH_BITS = 0x8080808080808080L;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final CharBuffer chars = CharBuffer.allocate(8192);

    /** The message itself when it is valid UTF-8, else the bytes that would go on the wire for it. */
    byte[] valid(byte[] message) {
        if (isAscii(message) || isValid(message)) {
            return message;
        }
        return new String(message, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /** Eight bytes at a time: a message is mostly ASCII, and this runs on the worker for every event. */
    private static boolean isAscii(byte[] message) {
        int i = 0;
        for (int end = message.length - Long.BYTES; i <= end; i += Long.BYTES) {
            if (((long) LONGS.get(message, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < message.length; i++) {
            if (message[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Decodes through one small buffer, overwritten chunk by chunk: only whether it decodes matters. */
    private boolean isValid(byte[] message) {
        ByteBuffer bytes = ByteBuffer.wrap(message);
        this.decoder.reset();
        CoderResult result;
        do {
            this.chars.clear();
            result = this.decoder.decode(bytes, this.chars, true);
        }
        while (result.isOverflow());
        if (result.isError()) {
            return false;
        }
        this.chars.clear();
        return !this.decoder.flush(this.chars).isError();
    }

}
