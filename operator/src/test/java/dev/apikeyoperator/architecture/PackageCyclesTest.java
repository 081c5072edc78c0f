package dev.apikeyoperator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend on each other in one direction only, and nothing depends on the wiring in the root
 * package (docs/design/architecture.md), so that the picture there stays true.
 */
class PackageCyclesTest {
  private static final JavaClasses OPERATOR = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.apikeyoperator");

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.apikeyoperator.(*)..").should().beFreeOfCycles().check(OPERATOR);
  }

  @Test
  void onlyTheMainClassesKnowTheWiring() {
    noClasses().that().resideInAPackage("dev.apikeyoperator.(*)..").should().dependOnClassesThat()
        .resideInAPackage("dev.apikeyoperator").check(OPERATOR);
  }
}
