package io.edgewhisk.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The appliance's side of the plugin boundary: the core never names a plugin (it finds them with
 * ServiceLoader), and the alarms feed, a plugin that lives in the appliance, uses only the SPI and the model.
 */
class BoundaryTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(java.nio.file.Path.of("target", "classes"));

  @Test
  void theApplianceNeverImportsAPlugin() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.edgewhisk.mqtt..", "io.edgewhisk.sync..")
        .because("plugins are found with ServiceLoader; a gateway runs without them")
        .check(CORE);
  }

  @Test
  void theAlarmsPluginUsesOnlyTheSpiAndTheModel() {
    noClasses().that().resideInAPackage("io.edgewhisk.catalog.alarms..")
        .should().dependOnClassesThat(resideInAPackage("io.edgewhisk..")
            .and(not(resideInAnyPackage("io.edgewhisk.spi..", "io.edgewhisk.model..", "io.edgewhisk.catalog.alarms.."))))
        .because("the alarms feed is a plugin like MQTT and sync, kept in the appliance")
        .check(CORE);
  }
}
