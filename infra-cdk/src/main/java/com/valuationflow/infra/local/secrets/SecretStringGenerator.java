package com.valuationflow.infra.local.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.valuationflow.infra.local.AwsJson;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Generates a secret value as CloudFormation's {@code GenerateSecretString} does: a random password
 * from {@link SecureRandom}, optionally put under {@code GenerateStringKey} into the JSON object of
 * {@code SecretStringTemplate}.
 */
final class SecretStringGenerator {

  static final int DEFAULT_LENGTH = 32;
  private static final int MAX_LENGTH = 4096;
  private static final String LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
  private static final String UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final String NUMBERS = "0123456789";
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private final SecureRandom random;

  SecretStringGenerator(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "'random' must not be null");
  }

  /**
   * @param properties the {@code GenerateSecretString} object of an {@code
   *     AWS::SecretsManager::Secret}; booleans and numbers may also be given as strings
   * @throws IllegalArgumentException if the properties contradict each other or leave no characters
   *     to choose from
   */
  String generate(JsonNode properties) {
    Objects.requireNonNull(properties, "'properties' must not be null");
    if (!properties.isObject()) {
      throw new IllegalArgumentException("GenerateSecretString must be an object");
    }
    int length = integer(properties, "PasswordLength", DEFAULT_LENGTH);
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "PasswordLength must be 1 to " + MAX_LENGTH + ", was " + length);
    }
    String excluded = text(properties, "ExcludeCharacters", "");
    List<String> types = new ArrayList<>();
    addType(types, LOWERCASE, !flag(properties, "ExcludeLowercase", false), excluded);
    addType(types, UPPERCASE, !flag(properties, "ExcludeUppercase", false), excluded);
    addType(types, NUMBERS, !flag(properties, "ExcludeNumbers", false), excluded);
    addType(types, PUNCTUATION, !flag(properties, "ExcludePunctuation", false), excluded);
    StringBuilder all = new StringBuilder(String.join("", types));
    if (flag(properties, "IncludeSpace", false) && excluded.indexOf(' ') < 0) {
      all.append(' ');
    }
    if (all.length() == 0) {
      throw new IllegalArgumentException("GenerateSecretString leaves no characters to use");
    }
    boolean eachType = flag(properties, "RequireEachIncludedType", true);
    if (eachType && types.size() > length) {
      throw new IllegalArgumentException(
          "PasswordLength "
              + length
              + " is too short for one of each of "
              + types.size()
              + " types");
    }
    List<Character> password = new ArrayList<>(length);
    if (eachType) {
      types.forEach(type -> password.add(pick(type)));
    }
    while (password.size() < length) {
      password.add(pick(all));
    }
    shuffle(password);
    StringBuilder value = new StringBuilder(length);
    password.forEach(value::append);
    return template(properties, value.toString());
  }

  private String template(JsonNode properties, String password) {
    String template = text(properties, "SecretStringTemplate", null);
    String key = text(properties, "GenerateStringKey", null);
    if (template == null && key == null) {
      return password;
    }
    if (template == null || key == null) {
      throw new IllegalArgumentException(
          "SecretStringTemplate and GenerateStringKey must be given together");
    }
    JsonNode parsed;
    try {
      parsed = AwsJson.parse(template);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("SecretStringTemplate is not valid JSON");
    }
    if (parsed == null || !parsed.isObject()) {
      throw new IllegalArgumentException("SecretStringTemplate must be a JSON object");
    }
    ((ObjectNode) parsed).put(key, password);
    return AwsJson.write(parsed);
  }

  private static void addType(List<String> types, String type, boolean included, String excluded) {
    if (!included) {
      return;
    }
    StringBuilder left = new StringBuilder();
    type.chars().filter(c -> excluded.indexOf(c) < 0).forEach(c -> left.append((char) c));
    if (left.length() > 0) {
      types.add(left.toString());
    }
  }

  private char pick(CharSequence characters) {
    return characters.charAt(random.nextInt(characters.length()));
  }

  private void shuffle(List<Character> characters) {
    for (int i = characters.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Character swap = characters.get(i);
      characters.set(i, characters.get(j));
      characters.set(j, swap);
    }
  }

  private static boolean flag(JsonNode properties, String name, boolean otherwise) {
    JsonNode value = properties.get(name);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()
        && (value.textValue().equals("true") || value.textValue().equals("false"))) {
      return Boolean.parseBoolean(value.textValue());
    }
    throw new IllegalArgumentException(name + " must be a boolean, was " + value);
  }

  private static int integer(JsonNode properties, String name, int otherwise) {
    JsonNode value = properties.get(name);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isTextual() && value.textValue().matches("[0-9]{1,9}")) {
      return Integer.parseInt(value.textValue());
    }
    throw new IllegalArgumentException(name + " must be an integer, was " + value);
  }

  private static String text(JsonNode properties, String name, String otherwise) {
    JsonNode value = properties.get(name);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(name + " must be a string, was " + value);
    }
    return value.textValue();
  }
}
