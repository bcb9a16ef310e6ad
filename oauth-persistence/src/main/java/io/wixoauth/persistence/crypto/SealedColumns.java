package io.wixoauth.persistence.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every column the key ring seals, in one list: what a key rotation must re-seal, and what a key may not be dropped
 * from the ring while it holds. A column added later that is sealed with the ring belongs here.
 */
public final class SealedColumns {

    /** A sealed column, and which of its rows are still needed ({@code TRUE} for all). */
    public record Column(String what, String table, String column, String needed) {
    }

    /** The columns whose values must stay readable. */
    public static final List<Column> KEPT = List.of(
            new Column("refresh tokens", "installation", "refresh_token", "TRUE"),
            new Column("subscription secrets", "relay_subscription", "secret", "TRUE"),
            new Column("app secrets", "wix_app", "secret", "TRUE"),
            new Column("previous subscription secrets still signing", "relay_subscription", "previous_secret",
                    "previous_secret_until > ?"));

    /** Tokens cached for every node: one sealed under a key the ring no longer holds is simply fetched again. */
    public static final Column SHARED_TOKENS = new Column("shared access tokens", "shared_access_token", "token", "TRUE");

    private SealedColumns() {
    }

    /**
     * How many needed values of each column are sealed under a key outside {@code keyIds}, with one such value's key
     * id: a ring that would leave them unreadable is refused before the service serves anything.
     */
    public static Map<Column, Orphans> orphans(Connection connection, Collection<String> keyIds, Instant now)
            throws SQLException {
        Map<Column, Orphans> found = new LinkedHashMap<>();
        for (Column column : KEPT) {
            try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*), MIN(" + column.column()
                    + ") FROM " + column.table() + " WHERE " + column.column() + " LIKE 'v1:%' AND "
                    + column.needed() + notUnder(column, keyIds))) {
                int parameter = bindNeeded(query, column, now);
                bindKeys(query, keyIds, parameter);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        found.put(column, new Orphans(rows.getLong(1), rows.getString(2).split(":", 3)[1]));
                    }
                }
            }
        }
        return found;
    }

    /** Drops the shared tokens no key of the ring can open; returns how many. */
    public static int dropUnreadableSharedTokens(Connection connection, Collection<String> keyIds) throws SQLException {
        Column column = SHARED_TOKENS;
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + column.table() + " SET token = NULL, "
                + "source = NULL, expires_at = NULL WHERE " + column.column() + " LIKE 'v1:%'" + notUnder(column, keyIds))) {
            bindKeys(update, keyIds, 1);
            return update.executeUpdate();
        }
    }

    /** Sealed values a ring would orphan: how many, and the key id of one of them. */
    public record Orphans(long count, String exampleKeyId) {
    }

    private static String notUnder(Column column, Collection<String> keyIds) {
        StringBuilder condition = new StringBuilder();
        for (int i = 0; i < keyIds.size(); i++) {
            condition.append(" AND LEFT(").append(column.column()).append(", ?) <> ?");
        }
        return condition.toString();
    }

    private static int bindNeeded(PreparedStatement statement, Column column, Instant now) throws SQLException {
        if (column.needed().contains("?")) {
            statement.setObject(1, now.atOffset(ZoneOffset.UTC));
            return 2;
        }
        return 1;
    }

    private static void bindKeys(PreparedStatement statement, Collection<String> keyIds, int first) throws SQLException {
        int parameter = first;
        for (String keyId : new ArrayList<>(keyIds)) {
            String prefix = "v1:" + keyId + ":";
            statement.setInt(parameter++, prefix.length());
            statement.setString(parameter++, prefix);
        }
    }
}
