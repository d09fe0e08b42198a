package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns what a layout produced into a message CloudWatch Logs accepts: UTF-8, at least one character, at most
 * the per-event limit. Strings with unpaired surrogates are encoded as Java does, with {@code ?} in their place.
 */
public final class EventMessages {

    /** What an empty message is replaced with, since PutLogEvents refuses empty messages. */
    static final byte[] EMPTY_REPLACEMENT = "(empty message)".getBytes(StandardCharsets.US_ASCII);

    private EventMessages() {
    }

    public static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the message to queue: the input itself when it is within {@code maxBytes}, a replacement when it is
     * empty, and otherwise its longest prefix that ends on a UTF-8 character boundary followed by a marker that
     * says how many bytes the original had, the whole at most {@code maxBytes}.
     */
    public static byte[] prepare(byte[] utf8, int maxBytes) {
        if (utf8.length == 0) {
            return EMPTY_REPLACEMENT;
        }
        if (utf8.length <= maxBytes) {
            return utf8;
        }
        byte[] marker = truncationMarker(utf8.length);
        int keep = characterBoundaryAtOrBefore(utf8, Math.max(0, maxBytes - marker.length));
        byte[] truncated = Arrays.copyOf(utf8, keep + marker.length);
        System.arraycopy(marker, 0, truncated, keep, marker.length);
        return truncated;
    }

    /**
     * The message without the line separators it ends with: a console needs them between events, a CloudWatch
     * event (one JSON document, say) does not.
     */
    public static byte[] withoutLineEnd(byte[] utf8) {
        int end = utf8.length;
        while (end > 0 && (utf8[end - 1] == '\n' || utf8[end - 1] == '\r')) {
            end--;
        }
        return (end == utf8.length) ? utf8 : Arrays.copyOf(utf8, end);
    }

    public static boolean isTruncated(byte[] prepared, byte[] original) {
        return prepared != original && original.length != 0;
    }

    static byte[] truncationMarker(int originalLength) {
        return ("...[TRUNCATED, original " + originalLength + " bytes]").getBytes(StandardCharsets.US_ASCII);
    }

    /** The largest index at or before {@code index} that does not fall inside a multi-byte character. */
    static int characterBoundaryAtOrBefore(byte[] utf8, int index) {
        if (index >= utf8.length) {
            return utf8.length;
        }
        int boundary = index;
        // Continuation bytes look like 10xxxxxx; back up to the byte that starts the character.
        while (boundary > 0 && (utf8[boundary] & 0xC0) == 0x80) {
            boundary--;
        }
        return boundary;
    }

}
