package io.wixoauth.core.job;

import io.wixoauth.api.Secret;
import io.wixoauth.api.error.UpstreamRejectedException;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.wix.TokenInfo;
import io.wixoauth.core.wix.WixGrant;
import io.wixoauth.core.wix.WixOAuthClient;
import io.wixoauth.core.wix.WixSettings;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks Wix about imported refresh tokens before they are stored: one refresh each (protocol section 4), and Token Info
 * on the access token it gives (section 5) to confirm the token is this app's grant on that instance. Two calls per
 * instance, far inside Wix's per-instance limit; {@code oauth.bulk-refresh.parallelism} at a time, like a bulk refresh.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // no transaction waits on Wix from here
public class ImportVerification {

    /** A token to check. */
    public record Candidate(long lineNo, AppId appId, InstanceId instanceId, Secret refreshToken) {
    }

    /** Wix's word: the token to store (the one Wix returned), or why it must not be stored. */
    public record Verdict(Secret tokenToStore, String refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    @Inject
    WixOAuthClient wix;

    @Inject
    WixSettings settings;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "oauth.bulk-refresh.parallelism")
    int parallelism;

    /**
     * Verdicts by line number. Wix refusing a token is a verdict; Wix not answering, or refusing the app's own secret,
     * is not: the exception (UpstreamUnavailableException, AppSecretRefusedException and the like) fails the batch,
     * which is tried again.
     */
    public Map<Long, Verdict> check(List<Candidate> candidates) {
        Map<Long, Verdict> verdicts = new ConcurrentHashMap<>();
        Workers.forEach(executor, parallelism, candidates, next -> verdicts.put(next.lineNo(), verdict(next)),
                "the verification of imported tokens");
        return verdicts;
    }

    private Verdict verdict(Candidate candidate) {
        WixGrant grant;
        try {
            grant = wix.refresh(candidate.appId(), candidate.instanceId(), candidate.refreshToken());
        } catch (UpstreamRejectedException e) {
            return new Verdict(null, "import: Wix refused the refresh token");
        }
        TokenInfo info = wix.tokenInfo(candidate.instanceId(), grant.accessToken());
        if (!info.confirms(candidate.appId().value(), candidate.instanceId().value())) {
            return new Verdict(null, "import: Wix names another app or instance for the refresh token");
        }
        return new Verdict(grant.refreshToken().orElse(candidate.refreshToken()), null);
    }
}
