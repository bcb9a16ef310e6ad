package io.wixoauth.web.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The WAR exactly as the build produced it: what is tested is what ships. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive builtWar() {
        File war = new File(System.getProperty("service.war", "target/oauth-web.war"));
        return ShrinkWrap.create(ZipImporter.class, "oauth-web.war").importFrom(war).as(WebArchive.class);
    }
}
