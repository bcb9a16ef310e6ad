/**
 * Background jobs: the re-encryption after a key rotation, run by a single timer in small committed batches, so that
 * token serving continues, a cancel takes effect between batches, and a restart resumes where the last batch ended.
 */
package io.wixoauth.core.job;
