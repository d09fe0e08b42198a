package io.github.cloudwatchlogging.sample.log4j2;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The sample on Log4j2: the same starter and properties as on Logback. */
@SpringBootApplication
public class SampleLog4j2Application {

    public static void main(String[] args) {
        SpringApplication.run(SampleLog4j2Application.class, args);
    }

}
