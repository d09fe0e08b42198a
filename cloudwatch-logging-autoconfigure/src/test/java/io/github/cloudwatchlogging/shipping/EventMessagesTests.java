package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventMessagesTests {

    @Test
    void prepareWhenWithinLimitReturnsSameBytes() {
        byte[] message = EventMessages.encode("hello");
        assertThat(EventMessages.prepare(message, 256)).isSameAs(message);
        assertThat(EventMessages.isTruncated(message, message)).isFalse();
    }

    @Test
    void prepareWhenEmptyReplacesWithVisibleText() {
        byte[] prepared = EventMessages.prepare(new byte[0], 256);
        assertThat(new String(prepared, StandardCharsets.UTF_8)).isEqualTo("(empty message)");
        assertThat(EventMessages.isTruncated(prepared, new byte[0])).isFalse();
    }

    @Test
    void prepareWhenTooLargeCutsAtCharacterBoundaryAndAddsMarker() {
        // 3-byte characters: any cut not on a multiple of 3 would split one.
        String text = "\u20ac".repeat(400);
        byte[] original = EventMessages.encode(text);
        byte[] prepared = EventMessages.prepare(original, 301);
        assertThat(prepared.length).isLessThanOrEqualTo(301);
        String decoded = new String(prepared, StandardCharsets.UTF_8);
        assertThat(decoded).endsWith("...[TRUNCATED, original 1200 bytes]").doesNotContain("\uFFFD");
        String kept = decoded.substring(0, decoded.indexOf("..."));
        assertThat(kept).matches("\u20ac+");
        assertThat(EventMessages.encode(kept).length + EventMessages.truncationMarker(1200).length)
            .isGreaterThan(301 - 3);
        assertThat(EventMessages.isTruncated(prepared, original)).isTrue();
    }

    @Test
    void prepareWhenFourByteCharactersStraddleTheCutKeepsWholeCharacters() {
        String text = "a" + "\uD83D\uDE00".repeat(100); // 1 + 400 bytes
        byte[] prepared = EventMessages.prepare(EventMessages.encode(text), 300);
        String decoded = new String(prepared, StandardCharsets.UTF_8);
        assertThat(decoded).doesNotContain("\uFFFD").startsWith("a\uD83D\uDE00");
        assertThat(EventMessages.encode(decoded)).isEqualTo(prepared);
    }

    @Test
    void encodeReplacesLoneSurrogates() {
        assertThat(new String(EventMessages.encode("a\uD800b"), StandardCharsets.UTF_8)).isEqualTo("a?b");
    }

    @Test
    void withoutLineEndDropsOnlyTrailingSeparators() {
        byte[] json = EventMessages.encode("{\"message\":\"a\\nb\"}\r\n");
        assertThat(new String(EventMessages.withoutLineEnd(json), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("{\"message\":\"a\\nb\"}");
        byte[] inner = EventMessages.encode("line one\nline two");
        assertThat(EventMessages.withoutLineEnd(inner)).isSameAs(inner);
        assertThat(EventMessages.withoutLineEnd(EventMessages.encode("\n\n"))).isEmpty();
    }

}
