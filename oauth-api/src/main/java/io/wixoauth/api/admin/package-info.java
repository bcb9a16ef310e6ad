/** What operations teams see and do: installations, their status and history, actions with a reason, health. */
package io.wixoauth.api.admin;
