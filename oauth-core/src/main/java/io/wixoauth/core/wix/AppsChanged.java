package io.wixoauth.core.wix;

/** An app was added or removed, or its secret changed: fired in the writer's transaction, observed after it commits. */
public record AppsChanged(String appId) {
}
