package dev.apikeyoperator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend on each other in one direction only, and nothing depends on the wiring in the root
 * package (docs/design/architecture.md), so that the picture there stays true.
 */
class PackageCyclesTest {
  /** The operator's own classes, not the libraries its tests use. */
  private static final JavaClasses OPERATOR = new ClassFileImporter()
      .importPath(java.nio.file.Path.of("target/classes"));

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
