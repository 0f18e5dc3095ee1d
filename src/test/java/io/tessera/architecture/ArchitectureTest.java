package io.tessera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shape of the code (engineering.md, "Shape of the code"), checked on the compiled classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tessera");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.tessera.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theEngineDependsOnTheJdkAndCelOnly() {
        classes().that().resideInAnyPackage("io.tessera.discount..", "io.tessera.rule..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.tessera.discount..",
                        "io.tessera.rule..", "dev.cel..", "com.google.protobuf..", "com.google.common..")
                .check(classes);
    }

    @Test
    void theRuleCompilerKnowsNothingOfTheEngine() {
        noClasses().that().resideInAPackage("io.tessera.rule..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.discount..").check(classes);
    }

    @Test
    void servicesAndStoresNeverSpeakHttp() {
        noClasses().that().haveSimpleNameEndingWith("Service").or().haveSimpleNameEndingWith("Store")
                .should().dependOnClassesThat().resideInAnyPackage("io.tessera.http..", "io.javalin..")
                .check(classes);
    }

    @Test
    void servicesActForAProjectAndAnActorNotForAnHttpCaller() {
        noClasses().that().haveSimpleNameEndingWith("Service").or().haveSimpleName("Checkout")
                .or().haveSimpleName("Qualifications")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.tessera.core.Principal").check(classes);
    }

    @Test
    void theSharedKernelDependsOnNoFeature() {
        classes().that().resideInAPackage("io.tessera.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.tessera.core..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void infrastructureDependsOnNoFeature() {
        noClasses().that().resideInAnyPackage("io.tessera.http..", "io.tessera.db..", "io.tessera.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tessera.campaign..", "io.tessera.code..",
                        "io.tessera.redemption..", "io.tessera.customer..", "io.tessera.order..",
                        "io.tessera.project..", "io.tessera.qualification..", "io.tessera.audit..")
                .check(classes);
    }
}
