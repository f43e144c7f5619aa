package com.valuationflow.aws;

import com.valuationflow.domain.model.HistoryEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Maps Step Functions history events to domain ones. Of each event's details only {@code name},
 * {@code error}, {@code cause}, {@code resourceType} and {@code resource} are kept, plus {@code
 * output} of the {@code ...Succeeded} events, and of {@code TaskSubmitted}'s output only the {@code
 * valuationReference} the valuer gave (what the waiting task waits for). Everything else, notably
 * {@code TaskScheduled}'s {@code parameters} that carry the task token, is left out.
 */
final class HistoryEvents {

  private static final Set<String> KEPT =
      Set.of("name", "error", "cause", "resourceType", "resource");
  private static final String OUTPUT = "output";
  private static final String VALUATION_REFERENCE = "valuationReference";
  private static final Pattern VALUATION_REFERENCE_MEMBER =
      Pattern.compile(
          "\\\\?\"valuationReference\\\\?\"\\s*:\\s*\\\\?\"([\\x21-\\x7E&&[^\"\\\\]]{1,128})\\\\?\"");

  private HistoryEvents() {}

  static HistoryEvent toDomain(software.amazon.awssdk.services.sfn.model.HistoryEvent event) {
    Long previous = event.previousEventId();
    return new HistoryEvent(
        event.id(),
        previous == null ? 0 : previous,
        event.timestamp(),
        event.typeAsString(),
        details(event));
  }

  private static Map<String, String> details(
      software.amazon.awssdk.services.sfn.model.HistoryEvent event) {
    boolean succeeded = event.typeAsString().endsWith("Succeeded");
    Map<String, String> details = new LinkedHashMap<>();
    for (SdkField<?> field : event.sdkFields()) {
      Object value = field.getValueOrDefault(event);
      if (value instanceof SdkPojo) {
        SdkPojo eventDetails = (SdkPojo) value;
        for (SdkField<?> detail : eventDetails.sdkFields()) {
          String name = detail.memberName();
          Object detailValue = detail.getValueOrDefault(eventDetails);
          if (detailValue instanceof String
              && (KEPT.contains(name) || (succeeded && OUTPUT.equals(name)))) {
            details.put(name, Redaction.redactTokens((String) detailValue));
          } else if (detailValue instanceof String text
              && OUTPUT.equals(name)
              && "TaskSubmitted".equals(event.typeAsString())) {
            Matcher reference = VALUATION_REFERENCE_MEMBER.matcher(text);
            if (reference.find()) {
              details.put(VALUATION_REFERENCE, reference.group(1));
            }
          }
        }
      }
    }
    return details;
  }
}
