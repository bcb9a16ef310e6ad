package io.wixoauth.api.audit;

/**
 * The result of walking the whole chain.
 *
 * @param firstBrokenSeq the first entry that does not fit the chain (changed, missing or inserted), or null
 * @param anchoredBy     the archive the first entry still held follows, when older entries were archived; null when the
 *                       chain is held from its first entry
 */
public record ChainVerification(boolean intact, long entriesChecked, Long firstBrokenSeq, String problem,
                                String anchoredBy) {

    public ChainVerification(boolean intact, long entriesChecked, Long firstBrokenSeq, String problem) {
        this(intact, entriesChecked, firstBrokenSeq, problem, null);
    }
}
