package io.github.cloudwatchlogging.shipping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PutLogEvents body the sender writes itself: what JSON requires escaped is, UTF-8 passes as it is, and moto
 * (the real service's stand-in, which parses and keeps every message) gives back each message exactly as the
 * SDK's own marshalling does.
 */
class PutLogEventsBodyTests {

    private static final List<String> MESSAGES = List.of("plain", "quote \" and backslash \\ and slash /",
            "line\nfeed, return\r, tab\t, backspace\b, form feed\f", "control \u0001\u001f and DEL \u007f",
            "é, 日本語, emoji 😀, U+2028 \u2028", "{\"json\":\"inside\"}", "x".repeat(200_000));

    @Test
    void escapesWhatJsonRequiresAndCopiesUtf8() {
        PutLogEventsBody body = new PutLogEventsBody().write("/g", "s\"1", new LogEvent[] {
                new LogEvent(12, utf8("a\"b\\c\nd\u0001é😀")), new LogEvent(-3, utf8("z")) });
        assertThat(body.text()).isEqualTo("{\"logGroupName\":\"/g\",\"logStreamName\":\"s\\\"1\",\"logEvents\":["
                + "{\"timestamp\":12,\"message\":\"a\\\"b\\\\c\\nd\\u0001é😀\"},{\"timestamp\":-3,\"message\":\"z\"}]}");
        assertThat(body.length()).isEqualTo(body.text().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void theWordTestFindsEveryByteToEscapeAtEveryPlace() {
        for (int value = 0; value < 256; value++) {
            for (int place = 0; place < 8; place++) {
                byte[] word = "aaaaaaaa".getBytes(StandardCharsets.US_ASCII);
                word[place] = (byte) value;
                long packed = java.nio.ByteBuffer.wrap(word).order(java.nio.ByteOrder.nativeOrder()).getLong();
                boolean expected = value == '"' || value == '\\' || value < 0x20;
                assertThat(PutLogEventsBody.anyToEscape(packed)).as("byte %d at %d", value, place).isEqualTo(expected);
            }
        }
    }

    @Test
    void randomMessagesAndTimestampsAreWrittenAsAPlainEscaperWritesThem() {
        java.util.Random random = new java.util.Random(15);
        byte[] alphabet = "ab \"\\\n\t\u0001\u001f~".getBytes(StandardCharsets.US_ASCII);
        PutLogEventsBody body = new PutLogEventsBody();
        for (int round = 0; round < 2_000; round++) {
            LogEvent[] events = new LogEvent[1 + random.nextInt(4)];
            StringBuilder expected = new StringBuilder("{\"logGroupName\":\"/g\",\"logStreamName\":\"s\",\"logEvents\":[");
            for (int i = 0; i < events.length; i++) {
                byte[] message = new byte[random.nextInt(40)];
                for (int j = 0; j < message.length; j++) {
                    message[j] = alphabet[random.nextInt(alphabet.length)];
                }
                long timestamp = 1_700_000_000_000L + random.nextInt(3);
                events[i] = new LogEvent(timestamp, message);
                expected.append((i > 0) ? "," : "").append("{\"timestamp\":").append(timestamp).append(",\"message\":\"");
                for (byte b : message) {
                    expected.append(switch (b) {
                        case '"' -> "\\\"";
                        case '\\' -> "\\\\";
                        case '\n' -> "\\n";
                        case '\t' -> "\\t";
                        default -> (b < 0x20) ? String.format("\\u%04x", b) : String.valueOf((char) b);
                    });
                }
                expected.append("\"}");
            }
            assertThat(body.write("/g", "s", events).text()).isEqualTo(expected.append("]}").toString());
        }
    }

    @Test
    void aBufferGrownPastTheKeptSizeIsLetGoAfterItsCall() {
        PutLogEventsBody body = new PutLogEventsBody();
        body.write("/g", "s", new LogEvent[] { new LogEvent(1, new byte[PutLogEventsBody.KEPT_BYTES / 5]) });
        int grown = body.length();
        body.release();
        body.write("/g", "s", new LogEvent[] { new LogEvent(1, utf8("small")) });
        assertThat(grown).isGreaterThan(PutLogEventsBody.KEPT_BYTES);
        assertThat(body.text()).endsWith("\"small\"}]}");
    }

    @Test
    void motoKeepsEveryMessageAsTheSdksMarshallingWouldHaveSentIt() {
        MotoServer moto = MotoServer.get();
        ShipperSettings settings = ShipperSettings.builder("/body-tests", "written").build();
        try (CloudWatchLogsClient ours = CloudWatchLogsClients.create(settings, "us-east-1", moto.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
                CloudWatchLogsClient plain = moto.client()) {
            SdkPutLogEventsSender writing = new SdkPutLogEventsSender(ours, settings, false);
            SdkPutLogEventsSender marshalling = new SdkPutLogEventsSender(plain,
                    ShipperSettings.builder("/body-tests", "marshalled").build(), false);
            assertThat(writing.writesBody()).isTrue();
            assertThat(marshalling.writesBody()).as("a client without the interceptor").isFalse();
            long now = System.currentTimeMillis();
            List<LogEvent> events = new ArrayList<>();
            for (String message : MESSAGES) {
                events.add(new LogEvent(now, utf8(message)));
            }
            Batch batch = Batch.of(events.toArray(LogEvent[]::new));
            assertThat(writing.send(batch)).isEqualTo(PutResult.ALL_ACCEPTED);
            assertThat(marshalling.send(Batch.of(events.toArray(LogEvent[]::new)))).isEqualTo(PutResult.ALL_ACCEPTED);
            assertThat(moto.messages("/body-tests", "written")).containsExactlyElementsOf(MESSAGES);
            assertThat(moto.messages("/body-tests", "marshalled")).containsExactlyElementsOf(MESSAGES);
            assertThat(writing.send(batch)).as("sent again from the same thread's buffer")
                .isEqualTo(PutResult.ALL_ACCEPTED);
            assertThat(moto.messages("/body-tests", "written")).hasSize(2 * MESSAGES.size());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
