package io.github.cloudwatchlogging.shipping;

import java.nio.ByteBuffer;
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

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final CharBuffer chars = CharBuffer.allocate(8192);

    private final int maxEventBytes;

    Utf8Check(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /** The event itself when its message is valid UTF-8, else the event with the message as it will be sent. */
    LogEvent valid(LogEvent event) {
        byte[] message = event.message();
        if (isAscii(message) || isValid(message)) {
            return event;
        }
        byte[] sent = new String(message, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        return event.withMessage(EventMessages.prepare(sent, this.maxEventBytes));
    }

    private static boolean isAscii(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
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
