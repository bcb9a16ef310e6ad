package io.wixoauth.api.installation;

import java.util.Objects;
import java.util.Set;

/**
 * Installations changed in a way that decides which token they are served (their mode, refresh token or state), fired
 * by the one class that writes installations, in the transaction of the change. Whatever holds state derived from an
 * installation observes it: {@code during = IN_PROGRESS} to change what it keeps in the database with the change,
 * {@code during = AFTER_SUCCESS} for what it keeps in memory, so it hears of a change once it is committed and never of
 * one that rolled back. One event carries every instance a transaction changed (an import batch changes up to a
 * thousand).
 */
public record InstallationChanged(Set<InstanceId> instanceIds) {

    public InstallationChanged {
        instanceIds = Set.copyOf(Objects.requireNonNull(instanceIds, "instanceIds"));
    }

    public static InstallationChanged of(InstanceId instanceId) {
        return new InstallationChanged(Set.of(instanceId));
    }
}
