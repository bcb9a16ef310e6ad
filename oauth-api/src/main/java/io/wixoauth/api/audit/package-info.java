/** The tamper-evident audit trail: what happened, who did it, to which installation, and whether the chain holds. */
package io.wixoauth.api.audit;
