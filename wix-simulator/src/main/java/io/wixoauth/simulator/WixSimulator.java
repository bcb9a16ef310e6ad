package io.wixoauth.simulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real HTTP server on a loopback port that plays Wix (protocol section 11). Start one per test run, point the
 * service's {@code wix.api-base-url} and {@code wix.www-base-url} at {@link #baseUrl()}, then read {@link #calls}.
 */
public final class WixSimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WixSimulator.class.getName());

    private final SimulatorSettings settings;
    private final WixState state = new WixState(Clock.systemUTC());
    private final Map<Endpoint, AtomicInteger> calls = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Deque<Fault>> faults = new EnumMap<>(Endpoint.class);
    private final HttpServer server;
    private final ExecutorService executor;
    private final AppSecrets secrets;
    private final OAuthEndpoints oauth;
    private final BrowserEndpoints browser;
    private final AppEndpoints apps;
    private final ContactEndpoints contacts;
    /** The latest requests received on Wix's own addresses, newest last (at most {@link #RECEIVED_KEPT}). */
    private final Deque<Received> received = new ConcurrentLinkedDeque<>();
    private static final int RECEIVED_KEPT = 1000;
    private final java.util.concurrent.atomic.AtomicLong receivedTotal = new java.util.concurrent.atomic.AtomicLong();
    private final WebhookSigner webhooks = new WebhookSigner();
    private final ControlEndpoints control;
    private volatile URI webhookUrl;
    private volatile Outage outage;

    /** Every Wix endpoint answers {@code status} until {@code until}. */
    private record Outage(Instant until, int status) {
    }

    static {
        // The JDK's HTTP server sends an answer's headers and body in separate writes; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK of the headers: about 40 ms on every answer (seen as a 44 ms floor
        // on every call in the benchmark). Wix's own edge does not do that. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private WixSimulator(SimulatorSettings settings, int port) throws IOException {
        this.settings = settings;
        for (Endpoint endpoint : Endpoint.values()) {
            calls.put(endpoint, new AtomicInteger());
            faults.put(endpoint, new ConcurrentLinkedDeque<>());
        }
        this.secrets = new AppSecrets(settings.appId(), settings.appSecret(), settings.redirectUrls(), webhooks);
        state.defaultApp(settings.appId());
        this.oauth = new OAuthEndpoints(settings, state, secrets);
        this.browser = new BrowserEndpoints(settings, state, secrets);
        this.apps = new AppEndpoints(state);
        this.contacts = new ContactEndpoints(state);
        this.control = new ControlEndpoints(this, state);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        // Enough threads that a request is taken (and counted) when it arrives, even while hundreds wait out a delay.
        this.executor = Executors.newFixedThreadPool(512, r -> {
            Thread thread = new Thread(r, "wix-simulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", http -> dispatch(new Exchange(http), http.getRequestURI().getPath()));
        server.start();
    }

    /** Starts on {@code port} on the loopback interface; 0 picks a free port. */
    public static WixSimulator start(SimulatorSettings settings, int port) {
        try {
            return new WixSimulator(settings, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Wix simulator on port " + port, e);
        }
    }

    public static WixSimulator start() {
        return start(SimulatorSettings.random(), 0);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public String appId() {
        return settings.appId();
    }

    /** The app's secret now: the one it started with until {@link #regenerateSecret()}. */
    public String appSecret() {
        return secrets.secretOf(settings.appId());
    }

    /**
     * One more app of the same company, as created in Wix's dev center; returns its id ({@link #appSecret(String)} its
     * secret). Its instances are its own: another app's credentials get no token for them (protocol section 12).
     */
    public String addApp() {
        return addApp(List.of());
    }

    /** {@link #addApp()}, with the Redirect URLs registered in its dashboard, for the install handshake. */
    public String addApp(List<String> redirectUrls) {
        return secrets.add(redirectUrls);
    }

    /** {@link #addApp(List)} with the app's id and secret given: the demo keeps its second app across restarts. */
    public String addApp(String appId, String secret, List<String> redirectUrls) {
        return secrets.add(appId, secret, redirectUrls);
    }

    /** The app's Redirect URLs, as set in its dashboard: an install to any other is refused (protocol section 2). */
    public void registerRedirectUrls(String appId, List<String> redirectUrls) {
        secrets.registerRedirectUrls(appId, redirectUrls);
    }

    /** Signs the app's webhooks with its own key; its public key is what the service must hold for it. */
    public WebhookSigner webhooks(String appId) {
        return secrets.webhooksOf(appId);
    }

    public String appSecret(String appId) {
        return secrets.secretOf(appId);
    }

    /** Installs the app {@code appId} on a new site; returns the instance id. */
    public String installAppFor(String appId) {
        String instanceId = WixState.newInstanceId();
        state.install(instanceId, appId);
        return instanceId;
    }

    /** As Wix's dashboard does when a secret is regenerated: the new one in force at once, the old one refused. */
    public String regenerateSecret() {
        return regenerateSecret(settings.appId());
    }

    public String regenerateSecret(String appId) {
        return secrets.regenerate(appId);
    }

    /** Token calls (create, exchange, refresh) whose client credentials were accepted, for the app. */
    public int authenticatedCalls(String appId) {
        return secrets.authenticatedCalls(appId);
    }

    /** Token calls refused with {@code invalid_client} for the app. */
    public int refusedClientCalls(String appId) {
        return secrets.refusedCalls(appId);
    }

    /** Installs the app on a new site and returns the instance id, as if the owner had clicked Install. */
    public String installApp() {
        String instanceId = WixState.newInstanceId();
        state.install(instanceId);
        return instanceId;
    }

    public void installApp(String instanceId) {
        state.install(instanceId);
    }

    public void uninstallApp(String instanceId) {
        state.uninstall(instanceId);
    }

    /** The {@code token} Wix appends to the App URL when an owner starts an install from the App Market. */
    public String newInstallToken(String instanceId) {
        return state.newInstallToken(instanceId);
    }

    /**
     * Serves the JWK Set of {@code idps} (their keys together) on this server at {@code /idp/jwks.json}, as a company's
     * identity provider does, and returns its address (for {@code mp.jwt.verify.publickey.location}). Called again, it
     * replaces the set: a key rotation (old and new keys published), then the old key withdrawn.
     */
    public synchronized URI publishIdentityProviderKeys(IdentityProvider... idps) {
        java.util.List<com.nimbusds.jose.jwk.JWK> keys = new java.util.ArrayList<>();
        for (IdentityProvider idp : idps) {
            keys.addAll(idp.publicKeys().getKeys());
        }
        boolean first = publishedKeys == null;
        publishedKeys = new com.nimbusds.jose.jwk.JWKSet(keys).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (first) {
            server.createContext("/idp/jwks.json", http -> {
                byte[] jwks = publishedKeys;
                http.getResponseHeaders().set("Content-Type", "application/json");
                http.sendResponseHeaders(200, jwks.length);
                http.getResponseBody().write(jwks);
                http.close();
            });
        }
        return baseUrl().resolve("/idp/jwks.json");
    }

    private volatile byte[] publishedKeys;

    /**
     * The company's identity provider as OpenID Connect sees it, on this server at {@code /oidc} (its issuer), with the
     * demo's people on its login page; the same one on every call. Clients are registered on it.
     */
    public synchronized OpenIdProvider openIdProvider() {
        if (openId == null) {
            openId = new OpenIdProvider(baseUrl(), OpenIdProvider.DEMO_PEOPLE);
            server.createContext(OpenIdProvider.PREFIX, openId::handle);
        }
        return openId;
    }

    private OpenIdProvider openId;

    /** Completes a consent for {@code instanceId} without a browser and returns its refresh token (test set-up). */
    public String issueRefreshToken(String instanceId) {
        if (!state.isInstalled(instanceId)) {
            state.install(instanceId);
        }
        return state.refreshTokenFor(instanceId);
    }

    /**
     * Every access token issued for {@code instanceId} stops working now, before its expiry (the site owner changed
     * the app's permissions, say); Wix answers 401 to calls that carry one. New tokens are issued as before.
     */
    public void revokeAccessTokens(String instanceId) {
        state.revokeAccessTokens(instanceId);
    }

    /** Revokes {@code instanceId}'s refresh token (the app stays installed): refreshing it is refused from now on. */
    public void revokeRefreshToken(String instanceId) {
        state.revokeRefreshToken(instanceId);
    }

    /** Sets the per-instance limit on token calls per minute (protocol section 0; 200 unless changed). */
    public void limitCallsPerMinute(int limit) {
        state.callsPerMinute(limit);
    }

    /** How many token calls were answered 429 because an instance went over its per-minute limit. */
    public int rateLimited() {
        return state.throttled();
    }

    /** The refresh token this simulated Wix issued for {@code instanceId}, if any (for checks that it is not stored in clear). */
    public java.util.Optional<String> refreshTokenOf(String instanceId) {
        return state.existingRefreshToken(instanceId);
    }

    /** Every access token, refresh token and code issued so far, and every app secret: none may ever reach a log. */
    public java.util.Set<String> issuedSecrets() {
        java.util.Set<String> secrets = new java.util.HashSet<>(state.issuedSecrets());
        secrets.addAll(this.secrets.everIssued());
        return secrets;
    }

    /** The instance an access token was issued for, as Token Info would name it. */
    public java.util.Optional<String> instanceOfAccessToken(String accessToken) {
        return state.accessToken(accessToken).map(WixState.IssuedToken::instanceId);
    }

    /** Whether {@code accessToken} was issued here and is still alive. */
    public boolean isLiveAccessToken(String accessToken) {
        return state.liveAccessToken(accessToken).isPresent();
    }

    /** Signs webhooks with this simulated Wix's key; the service trusts {@link WebhookSigner#publicKeyPem()}. */
    public WebhookSigner webhooks() {
        return webhooks;
    }

    /** How many requests {@code endpoint} received, including those answered with a fault. */
    public int calls(Endpoint endpoint) {
        return calls.get(endpoint).get();
    }

    public void resetCalls() {
        calls.values().forEach(c -> c.set(0));
        received.clear();
    }

    /**
     * The requests that reached Wix's addresses (API and OAuth, known or not; not {@code /simulator} or the identity
     * provider's keys), oldest first, since the start or {@link #resetCalls()}: the latest {@value #RECEIVED_KEPT}.
     */
    public java.util.List<Received> received() {
        return java.util.List.copyOf(received);
    }

    /** The kept requests that carried one of {@code instanceId}'s access tokens (revoked or expired ones too). */
    public java.util.List<Received> receivedFor(String instanceId) {
        return received.stream().filter(r -> r.header("authorization").stream().findFirst()
                .flatMap(state::accessToken).filter(t -> t.instanceId().equals(instanceId)).isPresent()).toList();
    }

    /** How many requests reached Wix's addresses since the simulator started (never reset: compare two readings). */
    public long receivedTotal() {
        return receivedTotal.get();
    }

    /** Adds {@code count} contacts to the instance's site, each with a note of {@code noteLength} characters. */
    public void seedContacts(String instanceId, int count, int noteLength) {
        contacts.seed(instanceId, count, noteLength);
    }

    /** The next {@code times} requests to {@code endpoint} meet {@code fault}; then it answers normally again. */
    public void failNext(Endpoint endpoint, int times, Fault fault) {
        for (int i = 0; i < times; i++) {
            faults.get(endpoint).addLast(fault);
        }
    }

    public void clearFaults() {
        faults.values().forEach(Deque::clear);
        outage = null;
    }

    /** Where the webhooks of {@code /simulator} changes go (the app's webhook URL in Wix's dashboard). */
    public void deliverWebhooksTo(URI url) {
        this.webhookUrl = url;
    }

    public java.util.Optional<URI> webhookUrl() {
        return java.util.Optional.ofNullable(webhookUrl);
    }

    /** Every Wix endpoint answers {@code status} (a Wix-shaped error) for {@code duration}; returns when it ends. */
    public Instant startOutage(Duration duration, int status) {
        Outage started = new Outage(Instant.now().plus(duration), status);
        outage = started;
        return started.until();
    }

    public void endOutage() {
        outage = null;
    }

    public java.util.Optional<Instant> outageUntil() {
        Outage current = outage;
        return current == null || Instant.now().isAfter(current.until())
                ? java.util.Optional.empty() : java.util.Optional.of(current.until());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void dispatch(Exchange exchange, String path) throws IOException {
        try {
            if (path.equals(ControlEndpoints.PREFIX) || path.startsWith(ControlEndpoints.PREFIX + "/")) {
                control.handle(exchange, path);
                return;
            }
            record(exchange);
            if (exchange.body().length > Exchange.MAX_DATA_BODY) {
                exchange.wixError(413, "Request body too large", "PAYLOAD_TOO_LARGE");
                return;
            }
            Endpoint endpoint = endpointFor(path);
            if (endpoint == null) {
                exchange.wixError(404, "Not found", "NOT_FOUND");
                return;
            }
            calls.get(endpoint).incrementAndGet();
            boolean approveForm = endpoint == Endpoint.INSTALLER_INSTALL && "POST".equals(exchange.method());
            boolean anyMethod = "ANY".equals(endpoint.method());
            if (!anyMethod && !endpoint.method().equals(exchange.method()) && !approveForm) {
                exchange.wixError(405, "Method not allowed", "METHOD_NOT_ALLOWED");
                return;
            }
            Outage current = outage;
            if (current != null && Instant.now().isBefore(current.until())) {
                applyFault(exchange, new Fault.Status(current.status(), current.status() == 429 ? "1" : null));
                return;
            }
            Fault fault = faults.get(endpoint).pollFirst();
            if (fault != null && applyFault(exchange, fault)) {
                return;
            }
            handle(endpoint, exchange);
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.FINE, "simulator request failed", e);
            exchange.drop();
        }
    }

    private void handle(Endpoint endpoint, Exchange exchange) throws IOException {
        switch (endpoint) {
            case CREATE_ACCESS_TOKEN -> oauth.createAccessToken(exchange);
            case OAUTH_ACCESS -> oauth.access(exchange);
            case TOKEN_INFO -> oauth.tokenInfo(exchange);
            case INSTALLER_INSTALL -> browser.install(exchange);
            case CLOSE_WINDOW -> browser.closeWindow(exchange);
            case GET_APP_INSTANCE -> apps.getAppInstance(exchange);
            case BI_EVENT -> apps.biEvent(exchange);
            case CONTACTS -> {
                // Wix's edge may set cookies of its own on API answers [uncertain]; a proxy must not pass them on.
                exchange.header("Set-Cookie", "wix-edge=" + java.util.UUID.randomUUID() + "; Path=/; Secure; HttpOnly");
                contacts.handle(exchange, exchange.rawPath(), exchange.body());
            }
        }
    }

    /** Keeps what arrived, the body read whole (more than a data API takes is refused, as Wix refuses it: 413). */
    private void record(Exchange exchange) throws IOException {
        byte[] body = exchange.body();
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        receivedTotal.incrementAndGet();
        received.addLast(new Received(exchange.method(), exchange.rawPath(), exchange.rawQuery(), exchange.headers(),
                body.length, digest));
        while (received.size() > RECEIVED_KEPT) {
            received.pollFirst();
        }
    }

    /** Returns true when the fault answered the request; a delay only postpones the normal answer. */
    private boolean applyFault(Exchange exchange, Fault fault) throws IOException {
        if (fault instanceof Fault.Delay delay) {
            sleep(delay.delay());
            return false;
        }
        if (fault instanceof Fault.Status status) {
            if (status.retryAfter() != null) {
                exchange.retryAfter(status.retryAfter());
            }
            exchange.wixError(status.status(), "Injected failure",
                    status.status() == 429 ? "TOO_MANY_REQUESTS" : "INTERNAL_ERROR");
        } else if (fault instanceof Fault.Drop) {
            exchange.drop();
        } else if (fault instanceof Fault.Stall stall) {
            exchange.stall(stall.silence(), stall.firstBytes());
        } else if (fault instanceof Fault.MalformedJson) {
            exchange.send(200, "application/json", "{\"access_token\": \"unterminated");
        } else if (fault instanceof Fault.OversizedRefreshToken oversized) {
            // A real exchange in every way but the refresh token's length: the code is used up, and the access token
            // is a live one for the code's instance, as Token Info confirms.
            String code = exchange.jsonBody().map(b -> OAuthEndpoints.text(b, "code")).orElse(null);
            String instanceId = state.redeemCode(code).map(WixState.Code::instanceId).orElse(null);
            if (instanceId == null) {
                exchange.oauthError(400, "invalid_grant", "The code is invalid, expired or already used");
                return true;
            }
            String accessToken = state.issueAccessToken(instanceId, settings.advancedTokenLifetime());
            String refreshToken = "JWS.refresh." + java.util.UUID.randomUUID() + "x".repeat(oversized.length());
            state.recordIssuedSecret(refreshToken);
            exchange.json(200, jakarta.json.Json.createObjectBuilder()
                    .add("access_token", accessToken)
                    .add("refresh_token", refreshToken)
                    .build());
        } else if (fault instanceof Fault.InvalidGrant) {
            exchange.oauthError(400, "invalid_grant", "The grant is invalid or was revoked");
        }
        return true;
    }

    /** {@code /oauth/access} also answers with a trailing slash (protocol section 4). */
    private static Endpoint endpointFor(String path) {
        String normalized = "/oauth/access/".equals(path) ? "/oauth/access"
                : path.startsWith(ContactEndpoints.PATH + "/") ? ContactEndpoints.PATH : path;
        for (Endpoint endpoint : Endpoint.values()) {
            if (endpoint.path().equals(normalized)) {
                return endpoint;
            }
        }
        return null;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
