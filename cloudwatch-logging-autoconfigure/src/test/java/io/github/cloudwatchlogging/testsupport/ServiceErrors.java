package io.github.cloudwatchlogging.testsupport;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** CloudWatch Logs error answers as the service writes them, for WireMock to give. */
public final class ServiceErrors {

    private ServiceErrors() {
    }

    public static ResponseDefinitionBuilder error(int status, String type, String message) {
        return ResponseDefinitionBuilder.responseDefinition()
            .withStatus(status)
            .withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

}
