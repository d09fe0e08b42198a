package io.github.cloudwatchlogging.aot;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingProperties;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class CloudWatchLoggingRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    CloudWatchLoggingRuntimeHintsTests() {
        // As the AOT engine finds them: through META-INF/spring/aot.factories.
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
            .load(RuntimeHintsRegistrar.class)
            .forEach((registrar) -> registrar.registerHints(this.hints, getClass().getClassLoader()));
    }

    @Test
    void thePropertiesBoundBeforeTheContextExistsCanBeBound() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onType(CloudWatchLoggingProperties.class)).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(CloudWatchLoggingProperties.class.getMethod("setLogGroup", String.class)))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(CloudWatchLoggingProperties.class.getMethod("getCredentials"))).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(CloudWatchLoggingProperties.Credentials.class.getMethod("setSecretKey", String.class)))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(CloudWatchLoggingProperties.Health.class.getMethod("setFailureThreshold",
                    java.time.Duration.class)))
            .accepts(this.hints);
    }

    @Test
    void anAppenderDeclaredInLogbackXmlCanBeCreatedAndConfigured() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onType(CloudWatchLogsAppender.class)
            .withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(CloudWatchLogsAppender.class.getMethod("setLogGroup", String.class)))
            .accepts(this.hints);
    }

}
