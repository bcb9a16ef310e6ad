/** The admin REST API for operations and compliance teams, on their enterprise identity (MicroProfile JWT groups). */
package io.wixoauth.web.admin;
