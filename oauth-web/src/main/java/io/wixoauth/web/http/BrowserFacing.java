package io.wixoauth.web.http;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks resources a site owner's browser visits. Their errors are friendly HTML pages with a reference id, never
 * JSON, and their answers carry the headers Wix needs to open and close them (protocol section 2).
 */
@NameBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface BrowserFacing {
}
