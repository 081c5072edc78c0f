package dev.apikeyoperator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/design/architecture.md is a newcomer's map: its table names every package of the operator with the layer it
 * sits in and the classes to open first. This keeps the map true: every package is in it, every class it names is
 * there, and no package uses one of a layer above or beside its own (a package and its sub-packages count as one).
 */
class ArchitectureDocTest {
  private static final String BASE = "dev.apikeyoperator";
  private static final Path PAGE = Path.of(System.getProperty("docs.dir", "../docs")).resolve("design/architecture.md");
  private static final Pattern ROW = Pattern.compile("^(\\d+)\\s+(\\(root\\)|[a-z0-9/]+/)\\s+(.+)$");
  /** The operator's own classes, not the libraries its tests use. */
  private static final JavaClasses OPERATOR = new ClassFileImporter()
      .importPath(java.nio.file.Path.of("target/classes"));

  record Row(int layer, String pkg, List<String> classes) {}

  @Test
  void theMapNamesEveryPackageAndOnlyClassesThatExist() throws IOException {
    Map<String, Row> rows = rows();
    Set<String> packages = new TreeSet<>();
    OPERATOR.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith(BASE)).forEach(packages::add);
    assertThat(rows.keySet()).as("the packages in the table of %s", PAGE).containsExactlyInAnyOrderElementsOf(packages);
    for (Row row : rows.values()) {
      for (String simpleName : row.classes()) {
        assertThat(OPERATOR.contain(row.pkg() + "." + simpleName))
            .as("%s names %s in %s", PAGE, simpleName, row.pkg()).isTrue();
      }
    }
  }

  @Test
  void everyPackageUsesOnlyPackagesOfLowerLayers() throws IOException {
    Map<String, Row> rows = rows();
    List<String> upward = new ArrayList<>();
    for (JavaClass c : OPERATOR) {
      Row from = rows.get(c.getPackageName());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        Row to = rows.get(d.getTargetClass().getPackageName());
        if (from != null && to != null && !top(from.pkg()).equals(top(to.pkg())) && to.layer() >= from.layer()) {
          upward.add(from.pkg() + " (layer " + from.layer() + ") -> " + to.pkg() + " (layer " + to.layer() + "): "
              + d.getDescription());
        }
      }
    }
    assertThat(upward).as("dependencies that %s says cannot exist", PAGE).isEmpty();
  }

  /** A vendor's package and issuer/ are one part: the registry names the vendors, and they implement its interface. */
  private static String top(String pkg) {
    String rest = pkg.equals(BASE) ? "" : pkg.substring(BASE.length() + 1);
    return rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
  }

  private static Map<String, Row> rows() throws IOException {
    Map<String, Row> rows = new TreeMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(PAGE)) {
      if (line.startsWith("layer  package")) {
        inTable = true;
        continue;
      }
      if (inTable && line.startsWith("```")) {
        break;
      }
      Matcher m = inTable ? ROW.matcher(line) : null;
      if (m != null && m.matches()) {
        String pkg = m.group(2).equals("(root)") ? BASE
            : BASE + "." + m.group(2).substring(0, m.group(2).length() - 1).replace('/', '.');
        List<String> classes = List.of(m.group(3).trim().split(",\\s*"));
        rows.put(pkg, new Row(Integer.parseInt(m.group(1)), pkg, classes));
      }
    }
    assertThat(rows).as("the table of %s", PAGE).isNotEmpty();
    return rows;
  }
}
