/**
 * The database schema: Flyway migrations that run unchanged on H2 and PostgreSQL, and the JPA converters that keep
 * column types portable between the two.
 */
package io.wixoauth.persistence.schema;
