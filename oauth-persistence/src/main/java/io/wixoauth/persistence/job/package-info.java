/** Operator jobs that run in the background in committed batches, with their progress stored so they can resume. */
package io.wixoauth.persistence.job;
