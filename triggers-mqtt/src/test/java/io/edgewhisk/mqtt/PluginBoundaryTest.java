package io.edgewhisk.mqtt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The plugin boundary: no class of this module (its main classes, wherever they live) uses a type of the
 * appliance outside {@code io.edgewhisk.spi} and {@code io.edgewhisk.model}. The build fails on the first
 * class that reaches into the core's internals (a store, the log, a controller, the config loader, …).
 */
class PluginBoundaryTest {
  private static final Path OWN_CLASSES = Path.of("target", "classes").toAbsolutePath();

  /** A type of the appliance (io.edgewhisk..., not this module's own) outside the SPI and the model. */
  private static final DescribedPredicate<JavaClass> CORE_INTERNALS =
      new DescribedPredicate<>("are EdgeWhisk core types outside io.edgewhisk.spi and io.edgewhisk.model") {
        @Override
        public boolean test(JavaClass c) {
          String p = c.getPackageName();
          boolean core = p.equals("io.edgewhisk") || p.startsWith("io.edgewhisk.");
          boolean allowed = p.equals("io.edgewhisk.spi") || p.startsWith("io.edgewhisk.spi.")
              || p.equals("io.edgewhisk.model") || p.startsWith("io.edgewhisk.model.");
          return core && !allowed && !own(c);
        }
      };

  private static boolean own(JavaClass type) {
    // an array of the module's own type (an enum's values()) has no class file of its own: judge its element type
    JavaClass c = type.isArray() ? type.getBaseComponentType() : type;
    return c.getSource().map(s -> s.getUri().toString().startsWith(OWN_CLASSES.toUri().toString())).orElse(false);
  }

  static JavaClasses mainClasses() {
    ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
    return Files.isDirectory(OWN_CLASSES) ? importer.importPath(OWN_CLASSES) : importer.importClasses();
  }

  @Test
  void theMQTTPluginUsesOnlyTheSpiAndTheModel() {
    ArchRule rule = noClasses().should().dependOnClassesThat(CORE_INTERNALS)
        .because("a plugin meets the core only through io.edgewhisk.spi and io.edgewhisk.model (DESIGN.md)")
        // until the plugin has classes there is nothing to check; every class it gets is checked
        .allowEmptyShould(true);
    rule.check(mainClasses());
  }

  @Test
  void onlyTheBridgesPahoAdapterTouchesPaho() {
    noClasses().that().resideOutsideOfPackage("io.edgewhisk.mqtt.bridge.paho..")
        .should().dependOnClassesThat().resideInAPackage("org.eclipse.paho..")
        .because("one package adapts Paho to BridgeLink, so the bridges are testable with a fake link (STYLE.md)")
        .check(mainClasses());
  }
}
