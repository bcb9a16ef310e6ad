package io.wixoauth.api.installation;

/** The id Wix gives one installation of the app on one site; it survives uninstall and reinstall (protocol section 6). */
public record InstanceId(String value) {

    public InstanceId {
        value = WixIdentifier.normalize("instance id", value);
    }

    public static InstanceId of(String raw) {
        return new InstanceId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
