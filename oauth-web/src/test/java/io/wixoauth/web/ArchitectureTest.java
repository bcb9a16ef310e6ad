package io.wixoauth.web;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout a reader relies on: packages by business component, each depending on others in one direction only, so
 * any one of them can be read (and changed) without the rest of a cycle.
 */
class ArchitectureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.wixoauth.api", "io.wixoauth.persistence", "io.wixoauth.core", "io.wixoauth.web");

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.wixoauth.(*).(*)..").should().beFreeOfCycles().check(SERVICE);
    }
}
