package io.github.cloudwatchlogging.shipping;

import java.util.Optional;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Puts the body {@link SdkPutLogEventsSender} wrote itself in place of the one the SDK marshalled from a request
 * with no events; before signing, so that the signature covers it. Everything else (endpoint, credentials,
 * signing, HTTP, errors, the response) stays the SDK's. A call without the attribute is left as it is.
 */
final class PutLogEventsBodyInterceptor implements ExecutionInterceptor {

    static final ExecutionAttribute<PutLogEventsBody> BODY = new ExecutionAttribute<>(
            "io.github.cloudwatchlogging.PutLogEventsBody");

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        PutLogEventsBody body = attributes.getAttribute(BODY);
        if (body == null) {
            return context.httpRequest();
        }
        return context.httpRequest()
            .toBuilder()
            .putHeader("Content-Length", Integer.toString(body.length()))
            .build();
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        PutLogEventsBody body = attributes.getAttribute(BODY);
        if (body == null) {
            return context.requestBody();
        }
        return Optional.of(RequestBody.fromContentProvider(body.content(), body.length(),
                "application/x-amz-json-1.1"));
    }

}
