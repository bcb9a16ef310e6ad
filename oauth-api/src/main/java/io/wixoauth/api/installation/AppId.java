package io.wixoauth.api.installation;

/** The id of the Wix app itself (the OAuth {@code client_id}). */
public record AppId(String value) {

    public AppId {
        value = WixIdentifier.normalize("app id", value);
    }

    public static AppId of(String raw) {
        return new AppId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
