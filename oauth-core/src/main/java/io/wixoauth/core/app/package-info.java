/**
 * The Wix apps this deployment serves, as operators manage them: {@link io.wixoauth.core.app.DefaultAppService} is the
 * one writer of the apps (added, removed, a secret changed), each change audited. What every node calls Wix with is
 * {@code core.wix.Apps}; a secret Wix refuses is {@code core.wix.SecretRefusals}'s to report.
 */
package io.wixoauth.core.app;
