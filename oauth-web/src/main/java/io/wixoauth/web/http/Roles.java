package io.wixoauth.web.http;

/** The groups a caller's JWT must carry. */
public final class Roles {

    /** May fetch access tokens through the token API. */
    public static final String TOKEN_READER = "token-reader";

    /** May call Wix's API through the proxy (never sees a token: a backend can have this without token-reader). */
    public static final String WIX_CALLER = "wix-caller";

    /** May read installations and the health summary. */
    public static final String OAUTH_VIEWER = "oauth-viewer";

    /** May read, and act on installations. */
    public static final String OAUTH_ADMIN = "oauth-admin";

    /** May read, export and verify the audit trail. */
    public static final String OAUTH_AUDITOR = "oauth-auditor";

    private Roles() {
    }
}
