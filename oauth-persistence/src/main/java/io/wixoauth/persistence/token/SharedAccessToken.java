package io.wixoauth.persistence.token;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.SealedToken;
import io.wixoauth.persistence.crypto.SealedTokenConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** The newest access token any node fetched for an instance, sealed and bound to it like a refresh token. */
@Entity
@Table(name = "shared_access_token")
public class SharedAccessToken {

    @Id
    @Column(name = "instance_id", length = 36)
    private String instanceId;

    @Convert(converter = SealedTokenConverter.class)
    @Column(name = "token", length = 2048)
    private SealedToken token;

    @Column(name = "source", length = 40)
    private String source;

    /** The app the token is of; null for a token shared before V15, which is the default app's. */
    @Column(name = "app_id", length = 36)
    private String appId;

    @Column(name = "expires_at")
    private Instant expiresAt;

    protected SharedAccessToken() {
    }

    public Optional<Secret> token() {
        return token == null ? Optional.empty() : token.tokenFor(InstanceId.of(instanceId));
    }

    public Optional<String> appId() {
        return Optional.ofNullable(appId);
    }

    public String getSource() {
        return source;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }
}
