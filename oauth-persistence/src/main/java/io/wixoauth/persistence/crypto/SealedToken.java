package io.wixoauth.persistence.crypto;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;

import java.util.Optional;

/**
 * A refresh token as it comes out of its column: the token and the installation it was sealed for, or the reason it
 * could not be opened. An unreadable value does not stop the row from loading, so operations can still see and
 * repair the installation; only the token is refused.
 */
public record SealedToken(InstanceId owner, Secret token, String keyId, String problem) {

    public static SealedToken readable(InstanceId owner, Secret token, String keyId) {
        return new SealedToken(owner, token, keyId, null);
    }

    public static SealedToken unreadable(String problem) {
        return new SealedToken(null, null, null, problem);
    }

    /** The token, if it opened and was sealed for {@code installation}; a copy from another row opens to nothing. */
    public Optional<Secret> tokenFor(InstanceId installation) {
        return problem == null && owner.equals(installation) ? Optional.of(token) : Optional.empty();
    }

    /** Why {@link #tokenFor} is empty, for logs: never the token itself. */
    public String problemFor(InstanceId installation) {
        if (problem != null) {
            return problem;
        }
        return owner.equals(installation) ? "none" : "sealed for another installation";
    }
}
