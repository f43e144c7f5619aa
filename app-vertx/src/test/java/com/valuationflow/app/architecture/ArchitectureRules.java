package com.valuationflow.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/** The dependency directions of the hexagon. */
final class ArchitectureRules {

  static final String DOMAIN = "com.valuationflow.domain..";
  static final String IN_MEMORY_ADAPTERS = "com.valuationflow.inmemory..";
  static final String AWS_ADAPTERS = "com.valuationflow.aws..";
  static final String APP = "com.valuationflow.app..";

  private ArchitectureRules() {}

  static final ArchRule DOMAIN_DEPENDS_ONLY_ON_THE_JDK =
      classes()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(DOMAIN, "java..")
          .because("the domain is a library other loan systems embed");

  static final ArchRule DOMAIN_USES_NO_FRAMEWORK =
      noClasses()
          .that()
          .resideInAPackage(DOMAIN)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx..", "software.amazon..", "com.fasterxml..", "io.micrometer..")
          .because("frameworks belong in adapters");

  static final ArchRule IN_MEMORY_ADAPTERS_DO_NOT_USE_OTHER_ADAPTERS =
      noClasses()
          .that()
          .resideInAPackage(IN_MEMORY_ADAPTERS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(AWS_ADAPTERS, APP)
          .because("adapters plug into the domain only; the app wires them together");

  static final ArchRule AWS_ADAPTERS_DO_NOT_USE_OTHER_ADAPTERS =
      noClasses()
          .that()
          .resideInAPackage(AWS_ADAPTERS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(IN_MEMORY_ADAPTERS, APP)
          .because("adapters plug into the domain only; the app wires them together");

  static final ArchRule AWS_ADAPTERS_USE_NO_JSON_OR_WEB_FRAMEWORK =
      noClasses()
          .that()
          .resideInAPackage(AWS_ADAPTERS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..", "com.fasterxml..", "io.micrometer..")
          .because("the AWS adapters depend on the domain and the AWS SDK only");

  static final ArchRule ONLY_THE_APP_WIRES_THINGS_TOGETHER =
      noClasses()
          .that()
          .resideOutsideOfPackage(APP)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(APP)
          .because("the app is the one composition root");
}
