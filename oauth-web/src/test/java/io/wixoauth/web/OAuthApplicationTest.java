package io.wixoauth.web;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application lists its resources and providers instead of having them scanned: one left out of the list would
 * answer 404 (a resource) or silently stop working (a filter, an exception mapper). Every annotated class is listed.
 */
class OAuthApplicationTest {

    @Test
    void everyResourceAndProviderOfTheWebModuleIsRegistered() throws IOException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes");
        List<Class<?>> annotated;
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("io/wixoauth/web"))) {
            List<String> names = files.map(classes::relativize).map(java.nio.file.Path::toString)
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
            List<Class<?>> loaded = new java.util.ArrayList<>();
            for (String name : names) {
                loaded.add(Class.forName(name, false, getClass().getClassLoader()));
            }
            annotated = loaded.stream()
                    .filter(type -> type.isAnnotationPresent(Path.class) || type.isAnnotationPresent(Provider.class))
                    .toList();
        }

        assertThat(annotated).as("resources and providers found").hasSizeGreaterThanOrEqualTo(10);
        assertThat(new OAuthApplication().getClasses()).containsExactlyInAnyOrderElementsOf(annotated);
    }
}
