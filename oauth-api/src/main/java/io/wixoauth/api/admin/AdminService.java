package io.wixoauth.api.admin;

import io.wixoauth.api.installation.InstanceId;

public interface AdminService {

    InstallationPage list(InstallationFilter filter);

    /** @throws io.wixoauth.api.error.UnknownInstanceException when no installation is recorded */
    InstallationDetail get(InstanceId instanceId);

    /**
     * @param actor the operator (JWT subject)
     * @throws io.wixoauth.api.error.InvalidRequestException without a reason
     */
    ActionResult perform(InstanceId instanceId, AdminAction action, String reason, String actor, String requestId);

    HealthSummary health();
}
