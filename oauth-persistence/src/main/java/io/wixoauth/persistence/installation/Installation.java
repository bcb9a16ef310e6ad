package io.wixoauth.persistence.installation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** One installation of the app on one Wix site. The instance id is the natural key: Wix never reuses it. */
@Entity
@Table(name = "installation")
@NamedQuery(name = Installation.FIND_BY_INSTANCE_ID, query = "SELECT i FROM Installation i WHERE i.instanceId = :instanceId")
public class Installation {

    public static final String FIND_BY_INSTANCE_ID = "Installation.findByInstanceId";

    @Id
    @Column(name = "instance_id", length = 36, nullable = false, updatable = false)
    private String instanceId;

    @Column(name = "app_id", length = 36, nullable = false)
    private String appId;

    @Enumerated(EnumType.STRING)
    @Column(name = "mode", length = 40, nullable = false)
    private InstallationMode mode;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", length = 40, nullable = false)
    private InstallationState state;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected Installation() {
    }

    public Installation(String instanceId, String appId, InstallationMode mode, Instant now) {
        this.instanceId = instanceId;
        this.appId = appId;
        this.mode = mode;
        this.state = InstallationState.INSTALLED;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public String getAppId() {
        return appId;
    }

    public InstallationMode getMode() {
        return mode;
    }

    public InstallationState getState() {
        return state;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
