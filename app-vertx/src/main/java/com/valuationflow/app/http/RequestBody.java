package com.valuationflow.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.valuationflow.domain.model.InvalidValueException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the fields of a JSON request body, collecting every problem before failing with one {@link
 * InvalidRequestException}. Fields are named by dotted paths such as {@code property.postcode}.
 */
public final class RequestBody {

  private final JsonNode root;
  private final List<Problem.FieldError> errors = new ArrayList<>();

  private RequestBody(JsonNode root) {
    this.root = root;
  }

  /** Parses a body that must be one JSON object. */
  public static RequestBody parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw InvalidRequestException.of("", "The request body must be a JSON object; it is empty");
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw InvalidRequestException.of("", "The request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw InvalidRequestException.of("", "The request body must be a JSON object");
    }
    return new RequestBody(root);
  }

  /** A required, non-empty string; {@code null} after recording the problem. */
  public String text(String field) {
    JsonNode node = find(field);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      return invalid(field, "must be a string");
    }
    return node.textValue();
  }

  /** A required JSON number; {@code null} after recording the problem. */
  public BigDecimal number(String field) {
    JsonNode node = find(field);
    if (node == null) {
      return null;
    }
    if (!node.isNumber()) {
      return invalid(field, "must be a number");
    }
    return node.decimalValue();
  }

  /** An optional boolean, {@code false} when absent. */
  public boolean flag(String field) {
    JsonNode node = at(field);
    if (node == null || node.isMissingNode()) {
      return false;
    }
    if (!node.isBoolean()) {
      invalid(field, "must be true or false");
      return false;
    }
    return node.booleanValue();
  }

  /** Records a problem if the field is present. */
  public void absent(String field, String detail) {
    JsonNode node = at(field);
    if (node != null && !node.isMissingNode()) {
      invalid(field, detail);
    }
  }

  /** Records every member of the object at {@code objectField} ("" for the root) not allowed. */
  public RequestBody allowOnly(String objectField, Set<String> allowed) {
    JsonNode object = objectField.isEmpty() ? root : at(objectField);
    if (object != null && object.isObject()) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          invalid(objectField.isEmpty() ? name : objectField + "." + name, "is not a known field");
        }
      }
    }
    return this;
  }

  /**
   * Builds the domain value once the fields are read, turning the domain's own validation into
   * field errors. {@code domainFields} maps the domain's field names to the request's.
   */
  public <T> T build(Map<String, String> domainFields, Supplier<T> factory) {
    throwIfInvalid();
    try {
      return factory.get();
    } catch (InvalidValueException e) {
      String field = domainFields.getOrDefault(e.field(), e.field());
      String detail = e.getMessage().replaceFirst("^'" + e.field() + "' ", "");
      throw InvalidRequestException.of(field, detail);
    }
  }

  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  private JsonNode find(String field) {
    JsonNode node = at(field);
    if (node == null) {
      return null;
    }
    if (node.isMissingNode() || node.isNull()) {
      return invalid(field, "is required");
    }
    return node;
  }

  /** The node at a dotted path; {@code null} after recording the problem with a parent. */
  private JsonNode at(String field) {
    JsonNode node = root;
    String path = "";
    for (String name : field.split("\\.")) {
      if (!path.isEmpty() && (node.isMissingNode() || node.isNull())) {
        return invalid(path, "is required");
      }
      if (!path.isEmpty() && !node.isObject()) {
        return invalid(path, "must be an object");
      }
      node = node.path(name);
      path = path.isEmpty() ? name : path + "." + name;
    }
    return node;
  }

  private <T> T invalid(String field, String detail) {
    Problem.FieldError error = new Problem.FieldError(field, detail);
    if (!errors.contains(error)) {
      errors.add(error);
    }
    return null;
  }
}
