package io.wixoauth.core.job;

import io.wixoauth.api.Secret;
import io.wixoauth.api.audit.AuditEvent;
import io.wixoauth.api.installation.AppId;
import io.wixoauth.core.audit.Audit;
import io.wixoauth.core.installation.Installations;
import io.wixoauth.core.wix.Apps;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.Installation.ImportOutcome;
import io.wixoauth.persistence.job.BackgroundJob;
import io.wixoauth.persistence.job.BackgroundJobRepository;
import io.wixoauth.persistence.job.ImportLine;
import io.wixoauth.persistence.job.ImportLineRepository;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies an import's staged lines, one batch per transaction: the installations, the lines' deletion and the job's
 * progress commit together, so a job stopped anywhere resumes with the next line, on any node, and a line is never
 * applied twice to effect (applying one again changes nothing: the token it brings is already there). Wix is asked
 * about the lines that want verifying before that transaction, so no lock waits on Wix.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ImportBatches {

    static final int BATCH = 1000;

    @Inject
    Apps apps;

    @Inject
    Clock clock;

    @Inject
    BackgroundJobRepository jobs;

    @Inject
    ImportLineRepository lines;

    @Inject
    Installations installations;

    @Inject
    Audit audit;

    @Inject
    ImportVerification verification;

    @Resource
    SessionContext context;

    /** Wix's verdicts on the next batch (read without locks), then the batch applied with them. */
    public BatchResult runNext(String jobId) {
        List<ImportLine> batch = lines.next(jobId, BATCH);
        Map<Long, ImportVerification.Verdict> verdicts = verification.check(toVerify(batch));
        return context.getBusinessObject(ImportBatches.class).apply(jobId, verdicts);
    }

    /**
     * The next batch, in one transaction, with the verdicts Wix gave. A line that wants verifying and has no verdict (a
     * line staged after the verdicts were asked for) ends the batch there: it is verified in the next round.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BatchResult apply(String jobId, Map<Long, ImportVerification.Verdict> verdicts) {
        BackgroundJob job = jobs.lockIfRunning(jobId).orElse(null);
        if (job == null) {
            return BatchResult.NOT_RUNNING;
        }
        Instant now = Instant.now(clock);
        List<ImportLine> batch = lines.next(jobId, BATCH);
        if (batch.isEmpty()) {
            job.finish(now);
            return BatchResult.FINISHED;
        }
        List<Installations.ImportDecision> decisions = new ArrayList<>();
        int unreadable = 0;
        for (ImportLine line : batch) {
            Optional<Secret> token = line.refreshToken();
            ImportVerification.Verdict verdict = verdicts.get(line.lineNo());
            if (token.isPresent() && line.verify() && verdict == null) {
                break;
            } else if (token.isEmpty()) {
                unreadable++; // sealed under a key that has left the key ring since: nothing to store
            } else if (verdict != null && !verdict.accepted()) {
                decisions.add(new Installations.ImportDecision(line, null, verdict.refusal()));
            } else {
                decisions.add(new Installations.ImportDecision(line, verdict != null ? verdict.tokenToStore() : token.get(), null));
            }
        }
        int taken = decisions.size() + unreadable;
        if (taken == 0) {
            return BatchResult.MORE;
        }
        Map<ImportOutcome, Long> counts = ImportCounts.parse(job.getDetail());
        List<ImportOutcome> outcomes = installations.importLines(decisions);
        for (int i = 0; i < decisions.size(); i++) {
            counts.merge(outcomes.get(i), 1L, Long::sum);
            if (outcomes.get(i) == ImportOutcome.REPLACED) {
                auditReplaced(decisions.get(i).line(), job);
            }
        }
        lines.removeThrough(jobId, batch.get(taken - 1).lineNo());
        job.advance(taken, unreadable, null, now);
        job.describe(ImportCounts.format(counts));
        return BatchResult.MORE;
    }

    /**
     * The lines Wix must vouch for: asked to and readable. A line for an installation that is uninstalled by the time
     * the batch is applied is not stored whatever Wix said ({@link Installation#takeImported}).
     */
    private List<ImportVerification.Candidate> toVerify(List<ImportLine> batch) {
        return batch.stream()
                .filter(ImportLine::verify)
                .filter(line -> line.refreshToken().isPresent())
                .map(line -> new ImportVerification.Candidate(line.lineNo(),
                        line.appId().map(AppId::of).orElseGet(apps::defaultAppId), line.instanceId(),
                        line.refreshToken().get()))
                .toList();
    }

    private void auditReplaced(ImportLine line, BackgroundJob job) {
        audit.quietly(AuditEvent.of("import.replaced", job.getRequestedBy(), line.instanceId().value(),
                "refresh token replaced").withReason(job.getReason())
                .withDetails("job " + job.getId() + ", line " + line.lineNo())
                .withApp(line.appId().orElseGet(() -> apps.defaultAppId().value())));
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
