package io.wixoauth.web.support;

import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An integration test against the built WAR on Payara Micro, deployed without a {@code @Deployment} method of the
 * class's own ({@link BuiltWarDeployment}). The environment starts before Payara does.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({ServiceIT.StartEnvironment.class, ArquillianExtension.class})
public @interface ServiceIT {

    /**
     * Runs before Arquillian's own before-all, which starts Payara Micro; and after its after-all, which stops it, to
     * check that no secret reached the server's log during the class.
     */
    final class StartEnvironment implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            ServiceEnvironment.get();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            ServiceEnvironment.get().assertNoSecretInServerLogs();
        }
    }
}
