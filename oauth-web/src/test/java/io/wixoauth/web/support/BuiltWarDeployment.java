package io.wixoauth.web.support;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.DeploymentConfiguration;
import org.jboss.arquillian.container.test.impl.client.deployment.AnnotationDeploymentScenarioGenerator;
import org.jboss.arquillian.container.test.spi.client.deployment.DeploymentScenarioGenerator;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.TestClass;

import java.util.List;

/**
 * Every {@link ServiceIT} class tests the WAR as the build produced it ({@link Deployments#builtWar()}), as a client
 * would (not testable: nothing is added to it), without a {@code @Deployment} method of its own. A class that needs
 * another deployment still declares one.
 */
public final class BuiltWarDeployment extends AnnotationDeploymentScenarioGenerator {

    @Override
    protected List<DeploymentConfiguration> generateDeploymentContent(TestClass testClass) {
        if (testClass.isAnnotationPresent(ServiceIT.class) && testClass.getMethods(Deployment.class).length == 0) {
            return List.of(new DeploymentConfiguration.DeploymentContentBuilder(Deployments.builtWar())
                    .withDeployment().withName("_DEFAULT_").withTestable(false).build().get());
        }
        return super.generateDeploymentContent(testClass);
    }

    /** Registered in META-INF/services: puts this generator in place of Arquillian's annotation-only one. */
    public static final class Extension implements LoadableExtension {
        @Override
        public void register(ExtensionBuilder builder) {
            builder.override(DeploymentScenarioGenerator.class, AnnotationDeploymentScenarioGenerator.class,
                    BuiltWarDeployment.class);
        }
    }
}
