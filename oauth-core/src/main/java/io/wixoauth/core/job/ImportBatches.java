package io.wixoauth.core.job;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.installation.InstanceId;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.relay.EventOutbox;
import io.wixoauth.core.relay.ServiceEvents;
import io.wixoauth.core.token.AccessTokenCache;
import io.wixoauth.core.wix.WixSettings;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.Installation.ImportOutcome;
import io.wixoauth.persistence.installation.InstallationRepository;
import io.wixoauth.persistence.installation.InstallationState;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import io.wixoauth.persistence.job.ImportLine;
import io.wixoauth.persistence.job.ImportLineRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies an import's staged lines, one batch per transaction: the installations, the lines' deletion and the job's
 * progress commit together, so a job stopped anywhere resumes with the next line, on any node, and a line is never
 * applied twice to effect (applying one again changes nothing: the token it brings is already there).
 */
@Stateless
public class ImportBatches {

    static final int BATCH = 1000;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    ImportLineRepository lines;

    @Inject
    InstallationRepository installations;

    @Inject
    WixSettings settings;

    @Inject
    EventOutbox outbox;

    @Inject
    AccessTokenCache cache;

    @Inject
    Audit audit;

    @Inject
    ImportVerification verification;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BatchResult runNext(String jobId) {
        BackgroundJob job = jobs.lockIfRunning(jobId).orElse(null);
        if (job == null) {
            return BatchResult.NOT_RUNNING;
        }
        Instant now = Instant.now();
        List<ImportLine> batch = lines.next(jobId, BATCH);
        if (batch.isEmpty()) {
            job.finish(now);
            return BatchResult.FINISHED;
        }
        Map<ImportOutcome, Long> counts = ImportCounts.parse(job.getDetail());
        // One locking read for the batch's installations; the lines of one instance later in the batch see the
        // installation an earlier one created.
        Map<String, Installation> known = new HashMap<>();
        installations.lockAll(batch.stream().map(line -> line.instanceId().value()).distinct().toList())
                .forEach(installation -> known.put(installation.instanceId().value(), installation));
        Map<Long, ImportVerification.Verdict> verdicts = verification.check(toVerify(batch, known));
        int failed = 0;
        for (ImportLine line : batch) {
            Optional<Secret> token = line.refreshToken();
            ImportVerification.Verdict verdict = verdicts.get(line.lineNo());
            if (token.isEmpty()) {
                failed++; // sealed under a key that has left the key ring since: nothing to store
            } else if (verdict != null && !verdict.accepted()) {
                counts.merge(refuse(line, verdict.refusal(), known, now), 1L, Long::sum);
            } else {
                Secret toStore = verdict != null ? verdict.tokenToStore() : token.get();
                counts.merge(apply(line, toStore, known, job, now), 1L, Long::sum);
            }
        }
        lines.removeThrough(jobId, batch.get(batch.size() - 1).lineNo());
        job.advance(batch.size(), failed, null, now);
        job.describe(ImportCounts.format(counts));
        return BatchResult.MORE;
    }

    /** The lines Wix must vouch for: asked to, readable, and not for an installation that is uninstalled. */
    private static List<ImportVerification.Candidate> toVerify(List<ImportLine> batch, Map<String, Installation> known) {
        return batch.stream()
                .filter(ImportLine::verify)
                .filter(line -> line.refreshToken().isPresent())
                .filter(line -> {
                    Installation existing = known.get(line.instanceId().value());
                    return existing == null || existing.getState() != InstallationState.UNINSTALLED;
                })
                .map(line -> new ImportVerification.Candidate(line.lineNo(), line.instanceId(), line.refreshToken().get()))
                .toList();
    }

    /** Wix refused the line's token: nothing of it is stored; an installation that has no token asks for a reinstall. */
    private ImportOutcome refuse(ImportLine line, String reason, Map<String, Installation> known, Instant now) {
        InstanceId instanceId = line.instanceId();
        Installation existing = known.get(instanceId.value());
        ImportOutcome outcome;
        if (existing == null) {
            Installation created = Installation.importRefused(instanceId, settings.appId().value(),
                    line.installedAt().orElse(null), line.originInstanceId(), line.paidPlan(), reason, now);
            installations.add(created);
            known.put(instanceId.value(), created);
            outcome = ImportOutcome.REFUSED;
        } else {
            outcome = existing.refuseImported(reason, now);
        }
        if (outcome == ImportOutcome.REFUSED) { // the site owner must reinstall: the backend hears of it with the batch
            outbox.record(ServiceEvents.reinstallRequired(instanceId, "Wix refused the imported refresh token: " + reason,
                    settings.appUrl().toString()));
        }
        return outcome;
    }

    private ImportOutcome apply(ImportLine line, Secret token, Map<String, Installation> known, BackgroundJob job,
                                Instant now) {
        InstanceId instanceId = line.instanceId();
        Installation existing = known.get(instanceId.value());
        if (existing == null) {
            Installation created = Installation.imported(instanceId, settings.appId().value(), token,
                    line.installedAt().orElse(null), line.originInstanceId(), line.paidPlan(), now);
            installations.add(created);
            known.put(instanceId.value(), created);
            return ImportOutcome.CREATED;
        }
        ImportOutcome outcome = existing.takeImported(token, line.replaceExisting(), now);
        if (outcome == ImportOutcome.STORED || outcome == ImportOutcome.REPLACED) {
            cache.evict(instanceId); // tokens from the old grant or from client credentials are not this one's
        }
        if (outcome == ImportOutcome.REPLACED) {
            audit.quietly(AuditEvent.of("import.replaced", job.getRequestedBy(), instanceId.value(),
                    "refresh token replaced").withReason(job.getReason())
                    .withDetails("job " + job.getId() + ", line " + line.lineNo()));
        }
        return outcome;
    }

    /** An import's outcome counts, kept in the job's detail as "created 3, stored 1, ...". */
    static final class ImportCounts {

        private ImportCounts() {
        }

        static Map<ImportOutcome, Long> parse(String detail) {
            Map<ImportOutcome, Long> counts = new EnumMap<>(ImportOutcome.class);
            if (detail != null) {
                for (String part : detail.split(", ")) {
                    String[] pair = part.split(" ");
                    if (pair.length == 2) {
                        counts.put(ImportOutcome.valueOf(pair[0].toUpperCase()), Long.parseLong(pair[1]));
                    }
                }
            }
            return counts;
        }

        static String format(Map<ImportOutcome, Long> counts) {
            StringBuilder text = new StringBuilder();
            for (ImportOutcome outcome : ImportOutcome.values()) {
                text.append(text.length() == 0 ? "" : ", ").append(outcome.name().toLowerCase()).append(' ')
                        .append(counts.getOrDefault(outcome, 0L));
            }
            return text.toString();
        }
    }
}
