package com.valuationflow.app.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.valuationflow.domain.archfixture.DomainClassUsingJackson;
import com.valuationflow.inmemory.archfixture.AdapterReachingIntoTheApp;
import org.junit.jupiter.api.Test;

/** The rules are not vacuous: each fails on a class that breaks it. */
class ArchitectureRulesCatchViolationsTest {

  @Test
  void aDomainClassUsingAFrameworkBreaksBothDomainRules() {
    JavaClasses violating = new ClassFileImporter().importClasses(DomainClassUsingJackson.class);

    assertThatThrownBy(() -> ArchitectureRules.DOMAIN_DEPENDS_ONLY_ON_THE_JDK.check(violating))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("DomainClassUsingJackson")
        .hasMessageContaining("com.fasterxml.jackson.databind.ObjectMapper");
    assertThatThrownBy(() -> ArchitectureRules.DOMAIN_USES_NO_FRAMEWORK.check(violating))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("DomainClassUsingJackson");
  }

  @Test
  void anAdapterReachingIntoTheAppBreaksTheAdapterAndWiringRules() {
    JavaClasses violating = new ClassFileImporter().importClasses(AdapterReachingIntoTheApp.class);

    assertThatThrownBy(
            () -> ArchitectureRules.IN_MEMORY_ADAPTERS_DO_NOT_USE_OTHER_ADAPTERS.check(violating))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("AdapterReachingIntoTheApp");
    assertThatThrownBy(() -> ArchitectureRules.ONLY_THE_APP_WIRES_THINGS_TOGETHER.check(violating))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("com.valuationflow.app.AppConfig");
  }
}
