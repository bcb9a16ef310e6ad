package io.wixoauth.persistence.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A job and how far it got: {@code lastInstanceId} is where the next batch starts, after a restart too. */
@Entity
@Table(name = "background_job")
public class BackgroundJob {

    public enum State { RUNNING, CANCELLED, DONE }

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "kind", length = 40, nullable = false)
    private String kind;

    @Column(name = "state", length = 20, nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private State state;

    @Column(name = "total", nullable = false)
    private long total;

    @Column(name = "done", nullable = false)
    private long done;

    @Column(name = "errors", nullable = false)
    private long errors;

    @Column(name = "last_instance_id", length = 36)
    private String lastInstanceId;

    @Column(name = "requested_by", length = 200, nullable = false)
    private String requestedBy;

    @Column(name = "reason", length = 400, nullable = false)
    private String reason;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** The kind while running, else null: a unique column, so only one job of a kind runs at a time (V6). */
    @Column(name = "detail", length = 400)
    private String detail;

    @Column(name = "running_kind", length = 40)
    private String runningKind;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected BackgroundJob() {
    }

    public BackgroundJob(String id, String kind, long total, String requestedBy, String reason, Instant now) {
        this.id = id;
        this.kind = kind;
        this.state = State.RUNNING;
        this.runningKind = kind;
        this.total = total;
        this.requestedBy = requestedBy;
        this.reason = reason;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** One committed batch: {@code processed} items up to {@code lastInstanceId}, {@code failed} of them not done. */
    public void advance(int processed, int failed, String lastInstanceId, Instant now) {
        this.done += processed;
        this.errors += failed;
        this.lastInstanceId = lastInstanceId;
        this.updatedAt = now;
    }

    /** What the job did beyond its counts, in a few words for operators; replaced at every batch. */
    public void describe(String detail) {
        this.detail = detail == null || detail.length() <= 400 ? detail : detail.substring(0, 400);
    }

    public String getDetail() {
        return detail;
    }

    public void finish(Instant now) {
        state = State.DONE;
        runningKind = null;
        finishedAt = now;
        updatedAt = now;
    }

    public boolean cancel(Instant now) {
        if (state != State.RUNNING) {
            return false;
        }
        state = State.CANCELLED;
        runningKind = null;
        finishedAt = now;
        updatedAt = now;
        return true;
    }

    public String getId() {
        return id;
    }

    public String getKind() {
        return kind;
    }

    public State getState() {
        return state;
    }

    public long getTotal() {
        return total;
    }

    public long getDone() {
        return done;
    }

    public long getErrors() {
        return errors;
    }

    public String getLastInstanceId() {
        return lastInstanceId;
    }

    public String getRequestedBy() {
        return requestedBy;
    }

    public String getReason() {
        return reason;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
