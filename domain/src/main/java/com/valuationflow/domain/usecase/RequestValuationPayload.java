package com.valuationflow.domain.usecase;

import com.valuationflow.domain.model.ApplicationReference;
import com.valuationflow.domain.model.InvalidValueException;
import com.valuationflow.domain.model.LoanApplication;
import com.valuationflow.domain.model.Property;
import com.valuationflow.domain.model.TaskToken;
import com.valuationflow.domain.model.WorkflowInput;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the workflow's RequestValuation task hands its function, {@code
 * {"taskToken":"...","loanApplication":<the execution input>}}, and what the function answers.
 * Works on parsed JSON as plain maps, strings and numbers, so that any function host can use it.
 */
public final class RequestValuationPayload {

  private RequestValuationPayload() {}

  /**
   * Reads the command from the task's payload.
   *
   * @throws InvalidValueException naming the offending field by its path in the payload, such as
   *     {@code loanApplication.property.postcode}; the message never quotes the token
   */
  public static RequestValuation.Command parse(Map<String, ?> payload) {
    Map<?, ?> application = object(payload, "loanApplication", "");
    Map<?, ?> property = object(application, "property", "loanApplication.");
    String token = text(payload, "taskToken", "");
    String reference = text(application, "applicationReference", "loanApplication.");
    String nameOrNumber = text(property, "nameOrNumber", "loanApplication.property.");
    String postcode = text(property, "postcode", "loanApplication.property.");
    Duration valuationTimeout =
        seconds(application, WorkflowInput.VALUATION_TIMEOUT_FIELD, "loanApplication.");
    return new RequestValuation.Command(
        valid("", () -> TaskToken.of(token)),
        new LoanApplication(
            valid("loanApplication.", () -> ApplicationReference.of(reference)),
            valid("loanApplication.property.", () -> Property.of(nameOrNumber, postcode))),
        valid("loanApplication.", () -> WorkflowInput.requireValidTimeout(valuationTimeout)));
  }

  /**
   * The function's answer, recorded by the workflow as the task's submission: {@code
   * {"outcome":"ValuationRequested","valuationReference":"..."}}.
   */
  public static Map<String, Object> describe(RequestValuation.Result result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", result.getClass().getSimpleName());
    if (result instanceof RequestValuation.ValuationRequested requested) {
      out.put("valuationReference", requested.valuationReference().value());
    } else if (result instanceof RequestValuation.EarlyCallbackApplied early) {
      out.put("valuationReference", early.valuationReference().value());
    } else if (result instanceof RequestValuation.NoLongerWaiting late) {
      out.put("valuationReference", late.valuationReference().value());
    } else if (result instanceof RequestValuation.ValuerUnavailable unavailable) {
      out.put("reason", unavailable.reason());
    }
    return out;
  }

  private static Map<?, ?> object(Map<?, ?> parent, String field, String prefix) {
    Object child = parent.get(field);
    if (!(child instanceof Map)) {
      throw invalid(prefix + field, "must be a JSON object");
    }
    return (Map<?, ?>) child;
  }

  private static String text(Map<?, ?> parent, String field, String prefix) {
    Object value = parent.get(field);
    if (value == null) {
      throw invalid(prefix + field, "is missing");
    }
    if (!(value instanceof String)) {
      throw invalid(prefix + field, "must be a string");
    }
    return (String) value;
  }

  private static Duration seconds(Map<?, ?> parent, String field, String prefix) {
    Object value = parent.get(field);
    if (value == null) {
      throw invalid(prefix + field, "is missing");
    }
    boolean wholeNumber =
        value instanceof Integer
            || value instanceof Long
            || value instanceof Short
            || value instanceof Byte
            || (value instanceof BigInteger && ((BigInteger) value).bitLength() < Long.SIZE);
    if (!wholeNumber || ((Number) value).longValue() < 1) {
      throw invalid(prefix + field, "must be a positive whole number of seconds");
    }
    return Duration.ofSeconds(((Number) value).longValue());
  }

  /** Runs a domain constructor, naming the field it rejects by its path in the payload. */
  private static <T> T valid(String prefix, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidValueException e) {
      String detail = e.getMessage().replaceFirst("^'" + e.field() + "' ", "");
      throw invalid(prefix + e.field(), detail);
    }
  }

  private static InvalidValueException invalid(String path, String detail) {
    return new InvalidValueException(path, "'" + path + "' " + detail);
  }
}
