package io.github.cloudwatchlogging.aot;

import io.github.cloudwatchlogging.autoconfigure.CloudWatchLoggingProperties;
import io.github.cloudwatchlogging.logback.CloudWatchLogsAppender;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Reflection the starter needs in a native image: its properties are bound with a {@code Binder} before the
 * context exists (so no bean definition tells AOT about them), and Logback creates a {@code CloudWatchLogsAppender}
 * declared in logback-spring.xml by reflection and sets its properties through its setters.
 */
class CloudWatchLoggingRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(CloudWatchLoggingProperties.class).registerHints(hints, classLoader);
        hints.reflection()
            .registerType(CloudWatchLogsAppender.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
                    MemberCategory.INVOKE_PUBLIC_METHODS);
    }

}
