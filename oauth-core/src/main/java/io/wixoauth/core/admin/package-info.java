/** The operations team's view and levers: installations with their status and history, actions, a health summary. */
package io.wixoauth.core.admin;
