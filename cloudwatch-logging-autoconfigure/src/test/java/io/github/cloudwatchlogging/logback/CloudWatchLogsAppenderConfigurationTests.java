package io.github.cloudwatchlogging.logback;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import io.github.cloudwatchlogging.shipping.FeedbackLoggers;
import io.github.cloudwatchlogging.shipping.OverflowPolicy;
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
