package io.wixoauth.web.handshake;

import io.wixoauth.api.error.ErrorKind;

/** The short pages a site owner sees when an install cannot go on: what happened, what to do, and a reference. */
public final class InstallPages {

    private InstallPages() {
    }

    public static String failure(ErrorKind kind, String errorCode, String reference) {
        if ("no_handshake".equals(errorCode)) {
            return page("Nothing to do here", "This app is installed directly from Wix and needs no further step: "
                    + "its installs need no redirect any more. You can close this window; the app is ready on your "
                    + "site once Wix shows it as installed.", reference);
        }
        if ("unknown_app".equals(errorCode)) {
            return page("Unknown app", "This link does not belong to an app served here. Please install the app "
                    + "from your Wix dashboard or the Wix App Market.", reference);
        }
        return switch (kind) {
            case UPSTREAM_UNAVAILABLE -> page("Wix is not answering right now",
                    "We could not finish installing the app because Wix did not answer. Please wait a few minutes, "
                            + "then install the app again from your Wix dashboard.", reference);
            case INVALID_REQUEST, UPSTREAM_REJECTED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, GONE, CONFLICT, RATE_LIMITED, TOO_LARGE -> page("This installation could not be completed",
                    "The installation link has expired, was already used, or did not come from Wix. Please install "
                            + "the app again from your Wix dashboard or the Wix App Market.", reference);
        };
    }

    public static String unexpected(String reference) {
        return page("Something went wrong on our side",
                "We could not finish installing the app. Please try again in a few minutes.", reference);
    }

    private static String page(String title, String advice, String reference) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}
                code{background:#f3f3f3;padding:.1rem .3rem}</style></head>
                <body><h1>%1$s</h1><p>%2$s</p>
                <p>If it keeps happening, contact support and quote this reference: <code>%3$s</code></p></body></html>
                """.formatted(title, advice, reference);
    }
}
