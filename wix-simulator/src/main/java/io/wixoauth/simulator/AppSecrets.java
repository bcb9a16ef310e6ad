package io.wixoauth.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The apps this Wix knows and the secret of each. A secret regenerated in the dashboard replaces the old one at once:
 * the old one is refused from then on with {@code invalid_client} (protocol section 12). Token calls are counted per
 * app, so tests can tell which app's credentials the service used.
 */
final class AppSecrets {

    private final ConcurrentMap<String, String> secrets = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> authenticatedCalls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> refusedCalls = new ConcurrentHashMap<>();
    private final Set<String> everIssued = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<String, List<String>> redirectUrls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, WebhookSigner> signers = new ConcurrentHashMap<>();

    AppSecrets(String appId, String secret, List<String> registeredRedirectUrls, WebhookSigner signer) {
        put(appId, secret);
        redirectUrls.put(appId, List.copyOf(registeredRedirectUrls));
        signers.put(appId, signer);
    }

    boolean knows(String appId) {
        return appId != null && secrets.containsKey(appId);
    }

    /** The Redirect URLs registered in the app's dashboard (protocol section 2). */
    List<String> redirectUrlsOf(String appId) {
        return redirectUrls.getOrDefault(appId, List.of());
    }

    void registerRedirectUrls(String appId, List<String> urls) {
        redirectUrls.put(appId, List.copyOf(urls));
    }

    /** Signs the app's webhooks with the app's own key (protocol section 12). */
    WebhookSigner webhooksOf(String appId) {
        return signers.get(appId);
    }

    String secretOf(String appId) {
        return secrets.get(appId);
    }

    /** A new app, as created in Wix's dev center: its id; its secret is {@link #secretOf}. */
    String add(List<String> registeredRedirectUrls) {
        return add(UUID.randomUUID().toString(), "secret-" + UUID.randomUUID(), registeredRedirectUrls);
    }

    /** An app with a given id and secret (the demo keeps its apps across restarts); again, the same app. */
    String add(String appId, String secret, List<String> registeredRedirectUrls) {
        put(appId, secret);
        redirectUrls.put(appId, List.copyOf(registeredRedirectUrls));
        signers.put(appId, new WebhookSigner());
        return appId;
    }

    /** A new secret for the app, in force at once; the old one is refused from now on. */
    String regenerate(String appId) {
        if (!secrets.containsKey(appId)) {
            throw new IllegalArgumentException("no app " + appId);
        }
        String secret = "secret-" + UUID.randomUUID();
        put(appId, secret);
        return secret;
    }

    /** Whether {@code secret} is the app's secret now; counted for the app either way. */
    boolean authenticates(String appId, String secret) {
        String expected = appId == null ? null : secrets.get(appId);
        boolean ok = expected != null && secret != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
        if (expected != null) {
            (ok ? authenticatedCalls : refusedCalls).computeIfAbsent(appId, id -> new AtomicInteger()).incrementAndGet();
        }
        return ok;
    }

    /** Token calls Wix accepted the app's credentials for. */
    int authenticatedCalls(String appId) {
        return count(authenticatedCalls, appId);
    }

    /** Token calls refused with {@code invalid_client} for the app: a wrong or former secret. */
    int refusedCalls(String appId) {
        return count(refusedCalls, appId);
    }

    /** Every secret any app ever had: none may reach a log. */
    Set<String> everIssued() {
        return Set.copyOf(everIssued);
    }

    private void put(String appId, String secret) {
        secrets.put(appId, secret);
        everIssued.add(secret);
    }

    private static int count(Map<String, AtomicInteger> counts, String appId) {
        AtomicInteger count = counts.get(appId);
        return count == null ? 0 : count.get();
    }
}
