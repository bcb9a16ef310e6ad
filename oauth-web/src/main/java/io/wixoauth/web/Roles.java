package io.wixoauth.web;

/** The groups a caller's JWT must carry. */
public final class Roles {

    /** May fetch access tokens through the token API. */
    public static final String TOKEN_READER = "token-reader";

    private Roles() {
    }
}
