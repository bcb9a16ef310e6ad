package io.wixoauth.web;

/** The groups a caller's JWT must carry. */
public final class Roles {

    /** May fetch access tokens through the token API. */
    public static final String TOKEN_READER = "token-reader";

    /** May read installations and the health summary. */
    public static final String OAUTH_VIEWER = "oauth-viewer";

    /** May read, and act on installations. */
    public static final String OAUTH_ADMIN = "oauth-admin";

    /** May read, export and verify the audit trail. */
    public static final String OAUTH_AUDITOR = "oauth-auditor";

    private Roles() {
    }
}
