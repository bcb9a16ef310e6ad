package io.wixoauth.api.audit;

/**
 * The result of walking the whole chain.
 *
 * @param firstBrokenSeq the first entry that does not fit the chain (changed, missing or inserted), or null
 */
public record ChainVerification(boolean intact, long entriesChecked, Long firstBrokenSeq, String problem) {
}
