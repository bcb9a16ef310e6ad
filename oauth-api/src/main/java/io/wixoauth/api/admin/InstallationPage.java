package io.wixoauth.api.admin;

import java.util.List;

/** @param nextCursor pass as {@code cursor} for the next page; null on the last one */
public record InstallationPage(List<InstallationSummary> items, String nextCursor) {
}
