package io.wixoauth.web;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.wixoauth.persistence.installation.Installation;
import io.wixoauth.persistence.installation.InstallationRepository;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout a reader relies on: packages by business component, each depending on others in one direction only, so
 * any one of them can be read (and changed) without the rest of a cycle; and one writer of installations.
 */
class ArchitectureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.wixoauth.api", "io.wixoauth.persistence", "io.wixoauth.core", "io.wixoauth.web");

    /** What may be asked of an installation without changing it. */
    private static final Set<String> READS_OF_AN_INSTALLATION = Set.of("instanceId", "refreshToken",
            "refreshTokenProblem", "refreshTokenKeyId", "hasStoredRefreshToken", "isInterruptedInstall", "isConfirmed");

    /** Every package is a slice of its own, the root packages ({@code io.wixoauth.web}, ...) included. */
    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.wixoauth.(**)").should().beFreeOfCycles().check(SERVICE);
    }

    /**
     * Installations change in one class ({@code core.installation.Installations}), which writes their events and
     * announces the change after the commit: no feature writes one behind its back, and none need remember to evict.
     */
    @Test
    void installationsHaveOneWriter() {
        noClasses().that().resideOutsideOfPackages("io.wixoauth.core.installation", "io.wixoauth.persistence.installation")
                .should().callMethodWhere(changesAnInstallation())
                .orShould().callConstructor(Installation.class, io.wixoauth.api.installation.InstanceId.class,
                        String.class, io.wixoauth.persistence.installation.InstallationMode.class, java.time.Instant.class)
                .check(SERVICE);
    }

    /** A cached token is dropped by the cache's own observer of committed changes, from nowhere else. */
    @Test
    void onlyTheTokenPackageDropsCachedTokens() {
        noClasses().that().resideOutsideOfPackage("io.wixoauth.core.token")
                .should().callMethodWhere(DescribedPredicate.describe("a method of AccessTokenCache or SharedTokens",
                        call -> call.getTargetOwner().getName().startsWith("io.wixoauth.core.token.AccessTokenCache")
                                || call.getTarget().getName().equals("forget")
                                && call.getTargetOwner().getName().equals("io.wixoauth.core.token.SharedTokens")))
                .check(SERVICE);
    }

    private static DescribedPredicate<JavaCall<?>> changesAnInstallation() {
        return DescribedPredicate.describe("a change to an installation", call -> {
            String owner = call.getTargetOwner().getName();
            String method = call.getTarget().getName();
            if (owner.equals(Installation.class.getName())) {
                return !method.startsWith("get") && !READS_OF_AN_INSTALLATION.contains(method);
            }
            return owner.equals(InstallationRepository.class.getName())
                    && Set.of("add", "remove", "lockByInstanceId", "lockAll", "deleteUnconfirmedBefore", "lockUninstalledBefore",
                    "replaceByTombstone", "deleteTombstonesBefore", "lockKeptRefreshTokensBefore").contains(method);
        });
    }
}
