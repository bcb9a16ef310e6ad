package io.wixoauth.simulator;

/** The endpoints the simulator serves; each counts the requests it receives. */
public enum Endpoint {
    CREATE_ACCESS_TOKEN("POST", "/oauth2/token"),
    OAUTH_ACCESS("POST", "/oauth/access"),
    TOKEN_INFO("POST", "/oauth2/token-info"),
    INSTALLER_INSTALL("GET", "/installer/install"),
    CLOSE_WINDOW("GET", "/installer/close-window"),
    GET_APP_INSTANCE("GET", "/apps/v1/instance"),
    BI_EVENT("POST", "/apps/v1/bi-event"),
    /** Contacts API v4: the collection and each contact under it, by several methods (see ContactEndpoints). */
    CONTACTS("ANY", ContactEndpoints.PATH);

    private final String method;
    private final String path;

    Endpoint(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }
}
