package io.wixoauth.persistence.job;

import io.wixoauth.api.Secret;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.persistence.crypto.SealedToken;
import io.wixoauth.persistence.crypto.SealedTokenConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * One line of an import file, checked and staged until the import job applies it. The refresh token is sealed for
 * its instance from the moment it is read, like an installation's.
 */
@Entity
@Table(name = "import_line")
@IdClass(ImportLine.Key.class)
public class ImportLine {

    /** The primary key: the job and the line's number in the file. */
    public record Key(String jobId, long lineNo) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "job_id", length = 36)
    private String jobId;

    @Id
    @Column(name = "line_no")
    private long lineNo;

    @Column(name = "instance_id", length = 36, nullable = false)
    private String instanceId;

    @Convert(converter = SealedTokenConverter.class)
    @Column(name = "refresh_token", length = 2048, nullable = false)
    private SealedToken refreshToken;

    @Column(name = "installed_at")
    private Instant installedAt;

    @Column(name = "origin_instance_id", length = 36)
    private String originInstanceId;

    @Column(name = "paid_plan", length = 400)
    private String paidPlan;

    @Column(name = "replace_existing", nullable = false)
    private boolean replaceExisting;

    @Column(name = "verify", nullable = false)
    private boolean verify;

    @Column(name = "staged_at", nullable = false)
    private Instant stagedAt;

    /** The app the import is of; null for a line staged before V17 (the default app's). */
    @Column(name = "app_id", length = 36)
    private String appId;

    protected ImportLine() {
    }

    public ImportLine(String jobId, long lineNo, InstanceId instanceId, Secret refreshToken, Instant installedAt,
                      InstanceId originInstanceId, String paidPlan, boolean replaceExisting, boolean verify,
                      Instant stagedAt, String appId) {
        this.appId = appId;
        this.jobId = jobId;
        this.lineNo = lineNo;
        this.instanceId = instanceId.value();
        this.refreshToken = SealedToken.readable(instanceId, refreshToken, null);
        this.installedAt = installedAt;
        this.originInstanceId = originInstanceId == null ? null : originInstanceId.value();
        this.paidPlan = paidPlan;
        this.replaceExisting = replaceExisting;
        this.verify = verify;
        this.stagedAt = stagedAt;
    }

    /** The app the line's installation is of, or empty for the default app. */
    public Optional<String> appId() {
        return Optional.ofNullable(appId);
    }

    public long lineNo() {
        return lineNo;
    }

    public InstanceId instanceId() {
        return InstanceId.of(instanceId);
    }

    /** Empty when the staged value cannot be opened (the key left the key ring meanwhile). */
    public Optional<Secret> refreshToken() {
        return refreshToken == null ? Optional.empty() : refreshToken.tokenFor(instanceId());
    }

    public Optional<Instant> installedAt() {
        return Optional.ofNullable(installedAt);
    }

    public String originInstanceId() {
        return originInstanceId;
    }

    public String paidPlan() {
        return paidPlan;
    }

    public boolean replaceExisting() {
        return replaceExisting;
    }

    /** Whether Wix must accept the token (one refresh, the instance confirmed) before it is stored. */
    public boolean verify() {
        return verify;
    }
}
