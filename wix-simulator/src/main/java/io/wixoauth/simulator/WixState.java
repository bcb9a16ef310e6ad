package io.wixoauth.simulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** What Wix remembers: where the app is installed, the codes, tokens and refresh tokens it issued. */
final class WixState {

    record IssuedToken(String instanceId, Instant issuedAt, Instant expiresAt) {
    }

    record Code(String instanceId, Instant expiresAt) {
    }

    /** A paid plan bought for an instance: Get App Instance shows it as {@code billing} (section 8). */
    record Plan(String vendorProductId, String cycle, Instant purchasedAt, Instant expiresOn, String invoiceId) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    /** Where an app is installed: each instance belongs to one app's installation on one site (protocol section 12). */
    private final Map<String, String> appByInstance = new ConcurrentHashMap<>();
    private volatile String defaultAppId;
    private final Map<String, IssuedToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokenByInstance = new ConcurrentHashMap<>();
    private final Map<String, String> instanceByInstallToken = new ConcurrentHashMap<>();
    private final Set<String> issuedSecrets = ConcurrentHashMap.newKeySet();
    private final Map<String, String> instanceByRefreshToken = new ConcurrentHashMap<>();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, String> originByInstance = new ConcurrentHashMap<>();
    private final Map<String, Window> callsByInstance = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger throttled = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int callsPerMinute = DEFAULT_CALLS_PER_MINUTE;

    /** Protocol section 0: "about 200 requests per minute per app instance"; more are answered 429. */
    static final int DEFAULT_CALLS_PER_MINUTE = 200;

    /** One instance's calls in the current minute. */
    private record Window(Instant start, int calls) {
    }

    WixState(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** The app an install without an app of its own is of. */
    void defaultApp(String appId) {
        defaultAppId = appId;
    }

    void install(String instanceId) {
        install(instanceId, defaultAppId);
    }

    void install(String instanceId, String appId) {
        appByInstance.put(instanceId, appId);
    }

    boolean isInstalled(String instanceId) {
        return appByInstance.containsKey(instanceId);
    }

    /** Whether the instance is an installation of {@code appId}: another app's instance is not its to act on. */
    boolean isInstalledFor(String instanceId, String appId) {
        return appId != null && appId.equals(appByInstance.get(instanceId));
    }

    /** The app the instance is an installation of. */
    Optional<String> appOf(String instanceId) {
        return Optional.ofNullable(appByInstance.get(instanceId));
    }

    /** A site cloned from {@code originInstanceId}'s: a new instance that names its origin (sections 2 and 6). */
    void installClone(String instanceId, String originInstanceId) {
        install(instanceId, appOf(originInstanceId).orElse(defaultAppId));
        originByInstance.put(instanceId, originInstanceId);
    }

    Optional<String> originOf(String instanceId) {
        return Optional.ofNullable(originByInstance.get(instanceId));
    }

    /** Uninstalling ends the refresh token's life (protocol section 9) and the paid plan. */
    void uninstall(String instanceId) {
        appByInstance.remove(instanceId);
        plans.remove(instanceId);
        revokeRefreshToken(instanceId);
    }

    void buyPlan(String instanceId, Plan plan) {
        plans.put(instanceId, plan);
    }

    Optional<Plan> planOf(String instanceId) {
        return Optional.ofNullable(plans.get(instanceId));
    }

    /** The site an instance lives on: the same id every time it is asked, as Token Info and Get App Instance give it. */
    static String siteIdOf(String instanceId) {
        return UUID.nameUUIDFromBytes(("site:" + instanceId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** The Wix account that owns the instance's site. */
    static String accountIdOf(String instanceId) {
        return UUID.nameUUIDFromBytes(("account:" + instanceId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** Ends the instance's access tokens now: each is still known (Token Info names its instance), and dead. */
    void revokeAccessTokens(String instanceId) {
        Instant now = now();
        accessTokens.replaceAll((token, issued) -> issued.instanceId().equals(instanceId) && issued.expiresAt().isAfter(now)
                ? new IssuedToken(issued.instanceId(), issued.issuedAt(), now) : issued);
    }

    /** The site owner (or Wix) revoked the app's grant: the refresh token is refused from now on. */
    void revokeRefreshToken(String instanceId) {
        String refreshToken = refreshTokenByInstance.remove(instanceId);
        if (refreshToken != null) {
            instanceByRefreshToken.remove(refreshToken);
        }
    }

    /**
     * Counts a token call for {@code instanceId} against its per-minute limit; empty when it may proceed, else the
     * wait until the minute is over (sent as {@code Retry-After}).
     */
    Optional<Duration> admit(String instanceId) {
        Instant now = now();
        Window window = callsByInstance.compute(instanceId, (id, current) ->
                current == null || !now.isBefore(current.start().plusSeconds(60))
                        ? new Window(now, 1) : new Window(current.start(), current.calls() + 1));
        if (window.calls() <= callsPerMinute) {
            return Optional.empty();
        }
        throttled.incrementAndGet();
        return Optional.of(Duration.between(now, window.start().plusSeconds(60)));
    }

    void callsPerMinute(int limit) {
        this.callsPerMinute = limit;
    }

    int throttled() {
        return throttled.get();
    }

    String issueAccessToken(String instanceId, Duration lifetime) {
        String token = "OauthNG.JWS." + randomText();
        Instant now = now();
        accessTokens.put(token, new IssuedToken(instanceId, now, now.plus(lifetime)));
        issuedSecrets.add(token);
        return token;
    }

    Optional<IssuedToken> accessToken(String token) {
        return Optional.ofNullable(token).map(accessTokens::get);
    }

    Optional<IssuedToken> liveAccessToken(String token) {
        return accessToken(token).filter(t -> now().isBefore(t.expiresAt()) && isInstalled(t.instanceId()));
    }

    String issueCode(String instanceId, Duration lifetime) {
        String code = randomText();
        codes.put(code, new Code(instanceId, now().plus(lifetime)));
        issuedSecrets.add(code);
        return code;
    }

    /** Codes are single-use: taking one removes it, whether or not it was still valid (protocol section 3). */
    Optional<Code> redeemCode(String code) {
        return Optional.ofNullable(code).map(codes::remove).filter(c -> now().isBefore(c.expiresAt()));
    }

    /** Refresh tokens do not rotate: an instance keeps one until the app is uninstalled (protocol section 4). */
    String refreshTokenFor(String instanceId) {
        String refreshToken = refreshTokenByInstance.computeIfAbsent(instanceId, id -> "JWS.refresh." + randomText());
        instanceByRefreshToken.put(refreshToken, instanceId);
        issuedSecrets.add(refreshToken);
        return refreshToken;
    }

    Optional<String> existingRefreshToken(String instanceId) {
        return Optional.ofNullable(refreshTokenByInstance.get(instanceId));
    }

    Optional<String> instanceOfRefreshToken(String refreshToken) {
        return Optional.ofNullable(refreshToken).map(instanceByRefreshToken::get);
    }

    /** A secret handed out by a fault rather than a normal answer; it must stay out of logs all the same. */
    void recordIssuedSecret(String secret) {
        issuedSecrets.add(secret);
    }

    Set<String> issuedSecrets() {
        return Set.copyOf(issuedSecrets);
    }

    String newInstallToken(String instanceId) {
        String token = randomText();
        instanceByInstallToken.put(token, instanceId);
        return token;
    }

    Optional<String> instanceOfInstallToken(String token) {
        return Optional.ofNullable(token).map(instanceByInstallToken::get);
    }

    static String newInstanceId() {
        return UUID.randomUUID().toString();
    }

    private String randomText() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
