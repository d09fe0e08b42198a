package io.github.cloudwatchlogging.logback;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import io.github.cloudwatchlogging.shipping.Batch;
import io.github.cloudwatchlogging.shipping.FeedbackLoggers;
import io.github.cloudwatchlogging.shipping.LogEvent;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
import io.github.cloudwatchlogging.shipping.PutResult;
import io.github.cloudwatchlogging.shipping.ShipperSettings;
import io.github.cloudwatchlogging.testsupport.LogbackContexts;
import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLogsAppenderConfigurationTests {

    @Test
    void configuredFromXmlShipsWithTheEncoderOutput() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        LoggerContext context = new LoggerContext();
        context.putProperty("MOTO_ENDPOINT", moto.endpoint().toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback-cloudwatch-test.xml"));
        CloudWatchLogsAppender appender = (CloudWatchLogsAppender) context.getLogger(Logger.ROOT_LOGGER_NAME)
            .getAppender("CLOUDWATCH");
        assertThat(appender.isStarted()).isTrue();
        ShipperSettings settings = appender.settings();
        assertThat(settings.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
        assertThat(settings.queueCapacityBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(settings.batchDelay()).hasMillis(200);
        assertThat(settings.maxInFlight()).isEqualTo(2);
        assertThat(settings.retentionDays()).isEqualTo(14);

        context.getLogger("com.example.Orders").info("order \u00e9 {} placed", 42);
        context.stop();

        try (CloudWatchLogsClient reader = moto.client()) {
            List<OutputLogEvent> events = reader
                .getLogEvents((r) -> r.logGroupName("/test/xml").logStreamName("from-xml").startFromHead(true))
                .events();
            assertThat(events).extracting(OutputLogEvent::message)
                .containsExactly("INFO  com.example.Orders - order \u00e9 42 placed" + System.lineSeparator());
        }
    }

    @Test
    void readsDurationsAndSizesAsSpringBootDoes() throws Exception {
        // Logback's own Duration reads "30s" as 30 milliseconds (its unit group matches nothing, the s is a plural).
        CloudWatchLogsAppender appender = configure("/logback-cloudwatch-durations.xml");
        assertThat(appender.isStarted()).isTrue();
        ShipperSettings settings = appender.settings();
        assertThat(settings.shutdownTimeout()).hasSeconds(30);
        assertThat(settings.batchDelay()).hasMillis(250);
        assertThat(settings.blockTimeout()).hasMinutes(1);
        assertThat(settings.requestTimeout()).hasSeconds(3);
        assertThat(settings.queueCapacityBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(settings.maxEventBytes()).isEqualTo(1000);
        ((LoggerContext) appender.getContext()).stop();
    }

    @Test
    void readsTheSpoolSettingsAndShipsThroughTheSpool(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spool)
            throws Exception {
        System.setProperty("cloudwatch.test.spool", spool.toString());
        try {
            CloudWatchLogsAppender appender = configure("/logback-cloudwatch-spool.xml");
            assertThat(appender.isStarted()).isTrue();
            ShipperSettings settings = appender.settings();
            assertThat(settings.spool()).isNotNull();
            assertThat(settings.spool().directory()).isEqualTo(spool);
            assertThat(settings.spool().capacityBytes()).isEqualTo(16L * 1024 * 1024);
            assertThat(settings.spool().sync()).isEqualTo(io.github.cloudwatchlogging.spool.SpoolSync.every(
                    java.time.Duration.ofSeconds(2)));
            assertThat(appender.getShipper().spoolStatistics().state()).isEqualTo("ACTIVE");
            ((LoggerContext) appender.getContext()).getLogger("com.example").info("kept for the next start");
            ((LoggerContext) appender.getContext()).stop();
            // The endpoint is unreachable: the stop gives up and the spool keeps the event for the next start.
            assertThat(appender.getShipper().statistics().dropped()
                .get(io.github.cloudwatchlogging.shipping.DropReason.LEFT_IN_SPOOL)).isEqualTo(1);
        }
        finally {
            System.clearProperty("cloudwatch.test.spool");
        }
    }

    @Test
    void aDurationItCannotReadKeepsTheAppenderStoppedAndNamesTheSetting() throws Exception {
        CloudWatchLogsAppender appender = configure("/logback-cloudwatch-bad-duration.xml");
        assertThat(appender.isStarted()).isFalse();
        assertThat(appender.getContext().getStatusManager().getCopyOfStatusList())
            .filteredOn((status) -> status.getLevel() == Status.ERROR)
            .anySatisfy((status) -> assertThat(status.getMessage()).contains("shutdownTimeout")
                .contains("30 parsecs"));
        ((LoggerContext) appender.getContext()).stop();
    }

    @Test
    void anEncoderCharsetOtherThanUtf8StillShipsUtf8() {
        // CloudWatch Logs takes UTF-8 only: ISO-8859-1 bytes read as UTF-8 become U+FFFD (3 bytes for 1) on the wire.
        List<Batch> sent = new CopyOnWriteArrayList<>();
        CloudWatchLogsAppender appender = new CloudWatchLogsAppender();
        appender.setName("CLOUDWATCH");
        appender.setLogGroup("/test/charset");
        appender.setLogStream("latin-1");
        appender.setSender((batch) -> {
            sent.add(batch);
            return PutResult.ALL_ACCEPTED;
        });
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern("%msg");
        encoder.setCharset(StandardCharsets.ISO_8859_1);
        LoggerContext context = LogbackContexts.withAppender(appender, encoder);
        context.getLogger("com.example.Orders").info("caf\u00e9");
        appender.getShipper().flush(java.time.Duration.ofSeconds(5));
        assertThat(sent).singleElement().satisfies((batch) -> {
            byte[] message = batch.events().get(0).message();
            assertThat(new String(message, StandardCharsets.UTF_8)).isEqualTo("caf\u00e9");
            assertThat(batch.putBytes()).isEqualTo(5 + LogEvent.PUT_OVERHEAD_BYTES);
        });
        context.stop();
    }

    private static CloudWatchLogsAppender configure(String resource) throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(CloudWatchLogsAppenderConfigurationTests.class.getResource(resource));
        return (CloudWatchLogsAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CLOUDWATCH");
    }

    @Test
    void invalidSettingsKeepTheAppenderStoppedAndSayWhatToChange() {
        CloudWatchLogsAppender appender = new CloudWatchLogsAppender();
        appender.setName("CLOUDWATCH");
        appender.setLogGroup("aws/reserved");
        appender.setLogStream("bad:stream");
        appender.setRetentionDays(2);
        LoggerContext context = LogbackContexts.withAppender(appender);
        assertThat(appender.isStarted()).isFalse();
        List<Status> errors = context.getStatusManager()
            .getCopyOfStatusList()
            .stream()
            .filter((status) -> status.getLevel() == Status.ERROR)
            .toList();
        assertThat(errors).singleElement()
            .satisfies((status) -> assertThat(status.getMessage()).contains("Not starting appender [CLOUDWATCH]")
                .contains("may not start with 'aws/'")
                .contains("may not contain ':' or '*'")
                .contains("retention of 2 days"));
        context.getLogger("x").info("ignored, and no exception reaches the caller");
        context.stop();
    }

    @Test
    void excludesTheSdkTheHttpClientAndItsOwnPackages() {
        assertThat(FeedbackLoggers.isExcluded("software.amazon.awssdk.request")).isTrue();
        assertThat(FeedbackLoggers.isExcluded("org.apache.http.wire")).isTrue();
        assertThat(FeedbackLoggers.isExcluded("io.github.cloudwatchlogging.shipping.LogShipper")).isTrue();
        assertThat(FeedbackLoggers.isExcluded("io.github.cloudwatchlogging.sample.OrderController")).isFalse();
        assertThat(FeedbackLoggers.isExcluded("com.example.Orders")).isFalse();
    }

}
