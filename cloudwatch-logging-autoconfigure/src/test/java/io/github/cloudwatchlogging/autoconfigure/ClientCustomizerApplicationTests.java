package io.github.cloudwatchlogging.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.cloudwatchlogging.testsupport.MotoServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

import static io.github.cloudwatchlogging.testsupport.RunningApps.application;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Customizer beans reach the client the starter builds, in order, after the starter's own settings. */
class ClientCustomizerApplicationTests {

    static final List<String> customized = new CopyOnWriteArrayList<>();

    static final List<String> operations = new CopyOnWriteArrayList<>();

    @Test
    void customizersAreAppliedInOrderAfterTheStartersSettings() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        customized.clear();
        operations.clear();
        try (ConfigurableApplicationContext context = application(CustomizedApplication.class,
                WebApplicationType.NONE)
            .run("--logging.cloudwatch.log-group=/customized/app", "--logging.cloudwatch.log-stream=s",
                    "--logging.cloudwatch.region=us-east-1", "--logging.cloudwatch.endpoint=" + moto.endpoint(),
                    "--logging.cloudwatch.request-timeout=7s", "--logging.cloudwatch.batch-delay=100ms",
                    "--spring.main.banner-mode=off")) {
            LoggerFactory.getLogger("com.example.Customized").info("through a customized client");
            await().atMost(Duration.ofSeconds(15)).until(() -> operations.contains("PutLogEvents"));
            assertThat(customized).containsExactly("first saw apiCallTimeout PT7S", "second");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CustomizedApplication {

        @Bean
        @Order(2)
        CloudWatchLogsClientCustomizer second() {
            return (builder) -> customized.add("second");
        }

        @Bean
        @Order(1)
        CloudWatchLogsClientCustomizer first() {
            return (builder) -> {
                customized.add("first saw apiCallTimeout " + builder.overrideConfiguration().apiCallTimeout().orElse(null));
                builder.overrideConfiguration(builder.overrideConfiguration()
                    .toBuilder()
                    .addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void beforeExecution(Context.BeforeExecution context,
                                ExecutionAttributes attributes) {
                            operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                        }
                    })
                    .build());
            };
        }

    }

}
