package io.github.cloudwatchlogging.benchmarks;

import java.lang.management.ManagementFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** A minimal application whose start-up is timed with and without shipping turned on. */
@SpringBootApplication
public class StartupApp {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(StartupApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        ConfigurableApplicationContext context = application.run(args);
        // JVM uptime when the context is ready: what the user waits for.
        System.out.println("STARTUP_MS=" + ManagementFactory.getRuntimeMXBean().getUptime());
        context.close();
    }

}
