package com.valuationflow.app.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "com.valuationflow",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      ArchitectureTest.DoNotIncludeTestJars.class
    })
class ArchitectureTest {

  /** Test fixtures that other modules publish as test-jars are not production code either. */
  static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }

  @ArchTest
  static final ArchRule domainDependsOnlyOnTheJdk =
      ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_THE_JDK;

  @ArchTest
  static final ArchRule domainUsesNoFramework = ArchitectureRules.DOMAIN_USES_NO_FRAMEWORK;

  @ArchTest
  static final ArchRule inMemoryAdaptersDoNotUseOtherAdapters =
      ArchitectureRules.IN_MEMORY_ADAPTERS_DO_NOT_USE_OTHER_ADAPTERS;

  @ArchTest
  static final ArchRule awsAdaptersDoNotUseOtherAdapters =
      ArchitectureRules.AWS_ADAPTERS_DO_NOT_USE_OTHER_ADAPTERS;

  @ArchTest
  static final ArchRule awsAdaptersUseNoJsonOrWebFramework =
      ArchitectureRules.AWS_ADAPTERS_USE_NO_JSON_OR_WEB_FRAMEWORK;

  @ArchTest
  static final ArchRule onlyTheAppWiresThingsTogether =
      ArchitectureRules.ONLY_THE_APP_WIRES_THINGS_TOGETHER;
}
