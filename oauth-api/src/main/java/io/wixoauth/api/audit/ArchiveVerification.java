package io.wixoauth.api.audit;

/**
 * An audit archive file checked on its own: its header's seal, every entry's seal, the chain within it, and that it
 * ends where its header says.
 *
 * @param firstBrokenLine the first line (1 is the header) that does not fit, or null
 */
public record ArchiveVerification(boolean intact, String name, long entriesChecked, Long firstSeq, Long lastSeq,
                                  String lastHash, Long firstBrokenLine, String problem) {
}
