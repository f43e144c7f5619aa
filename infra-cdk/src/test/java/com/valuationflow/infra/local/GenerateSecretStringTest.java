package com.valuationflow.infra.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.valuationflow.infra.local.secrets.LocalSecretsManager;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Values generated from CloudFormation's {@code GenerateSecretString} properties. */
class GenerateSecretStringTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  @Test
  void byDefaultThirtyTwoCharactersOfEveryType() {
    for (int i = 0; i < 50; i++) {
      String value = generate("{}");

      assertThat(value).hasSize(32);
      assertThat(value).containsPattern("[a-z]").containsPattern("[A-Z]").containsPattern("[0-9]");
      assertThat(value.chars().anyMatch(c -> PUNCTUATION.indexOf(c) >= 0)).isTrue();
      assertThat(value).doesNotContain(" ");
    }
  }

  @Test
  void eachIncludedTypeAppearsEvenInTheShortestPassword() {
    IntStream.range(0, 200)
        .mapToObj(i -> generate("{\"PasswordLength\": 4}"))
        .forEach(
            value ->
                assertThat(value)
                    .hasSize(4)
                    .containsPattern("[a-z]")
                    .containsPattern("[A-Z]")
                    .containsPattern("[0-9]")
                    .containsPattern("[^A-Za-z0-9]"));
  }

  @Test
  void excludedTypesAndCharactersNeverAppear() {
    for (int i = 0; i < 50; i++) {
      assertThat(generate("{\"ExcludePunctuation\": true, \"PasswordLength\": 64}"))
          .matches("[A-Za-z0-9]{64}");
      assertThat(generate("{\"ExcludeUppercase\": true, \"ExcludeLowercase\": \"true\"}"))
          .doesNotContainPattern("[A-Za-z]");
      assertThat(generate("{\"ExcludeNumbers\": true, \"ExcludePunctuation\": true}"))
          .matches("[A-Za-z]{32}");
      assertThat(
              generate("{\"ExcludeCharacters\": \"\\\"@/\\\\abc\", \"PasswordLength\": \"100\"}"))
          .hasSize(100)
          .doesNotContain("\"", "@", "/", "\\", "a", "b", "c");
    }
  }

  @Test
  void spaceIsIncludedOnlyOnRequest() {
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      generate(
              "{\"IncludeSpace\": true, \"ExcludeUppercase\": true, \"ExcludeLowercase\": true,"
                  + " \"ExcludeNumbers\": true, \"ExcludePunctuation\": true, \"PasswordLength\": 8}")
          .chars()
          .forEach(c -> seen.add((char) c));
    }
    assertThat(seen).containsExactly(' ');
  }

  @Test
  void withoutRequireEachIncludedTypeALengthOfOneIsFine() {
    assertThat(generate("{\"PasswordLength\": 1, \"RequireEachIncludedType\": false}")).hasSize(1);
    assertThatThrownBy(() -> generate("{\"PasswordLength\": 3}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTemplateGetsTheValueUnderItsKey() throws Exception {
    JsonNode value =
        JSON.readTree(
            generate(
                "{\"SecretStringTemplate\": \"{\\\"username\\\": \\\"valuer\\\"}\","
                    + " \"GenerateStringKey\": \"password\", \"ExcludePunctuation\": true}"));

    assertThat(value.get("username").textValue()).isEqualTo("valuer");
    assertThat(value.get("password").textValue()).matches("[A-Za-z0-9]{32}");
  }

  @Test
  void contradictoryOrInvalidPropertiesAreRefused() {
    assertThatThrownBy(() -> generate("{\"GenerateStringKey\": \"password\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generate("{\"SecretStringTemplate\": \"{}\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> generate("{\"SecretStringTemplate\": \"[1]\", \"GenerateStringKey\": \"k\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generate("{\"PasswordLength\": 0}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generate("{\"PasswordLength\": 4097}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                generate(
                    "{\"ExcludeUppercase\": true, \"ExcludeLowercase\": true,"
                        + " \"ExcludeNumbers\": true, \"ExcludePunctuation\": true}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generate("{\"ExcludeNumbers\": \"yes\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String generate(String properties) {
    try {
      return LocalSecretsManager.generateSecretString(JSON.readTree(properties));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
