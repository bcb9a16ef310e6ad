package io.wixoauth.api.proxy;

import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One call a backend asked the proxy to make: who asked ({@code caller}, and which of the allow-list groups it is in),
 * for which instance, and the request for Wix: method, path, raw query (or null), the headers that may go to Wix
 * (already filtered), and the body.
 */
public record WixCall(String caller, Predicate<String> callerInGroup, InstanceId instanceId, AppId appId, String method,
                      WixPath path,
                      String rawQuery, Map<String, List<String>> headers, CallBody body, String requestId) {

    public WixCall {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callerInGroup, "callerInGroup");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
