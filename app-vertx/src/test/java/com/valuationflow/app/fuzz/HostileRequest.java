package com.valuationflow.app.fuzz;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * One generated request, what it may be answered with, and how to show it when it is not.
 *
 * @param body {@code null} for none
 */
record HostileRequest(
    long seed,
    int index,
    HostileRequests.Kind kind,
    HttpMethod method,
    String uri,
    List<Header> headers,
    byte[] body,
    Expected expected) {

  private static final int SHOWN_BODY_BYTES = 600;

  record Header(String name, String value) {}

  /** The statuses a request may get; any 5xx is always wrong. */
  record Expected(String description, IntPredicate allows) {

    static final Expected ANSWERED =
        new Expected("2xx or 4xx", status -> status / 100 == 2 || status / 100 == 4);
    static final Expected REFUSED = new Expected("4xx", status -> status / 100 == 4);

    static Expected exactly(int status) {
      return new Expected(Integer.toString(status), actual -> actual == status);
    }
  }

  /** Seed, index, kind, request line, headers and (the start of) the body, non-ASCII escaped. */
  String describe() {
    StringBuilder text =
        new StringBuilder()
            .append("seed ")
            .append(seed)
            .append(", request ")
            .append(index)
            .append(" (")
            .append(kind)
            .append(", expected ")
            .append(expected.description())
            .append("):\n  ")
            .append(method.name())
            .append(' ')
            .append(shown(uri, 300))
            .append('\n');
    for (Header header : headers) {
      text.append("  ")
          .append(header.name())
          .append(": ")
          .append(shown(header.value(), 300))
          .append('\n');
    }
    if (body == null) {
      return text.append("  (no body)").toString();
    }
    text.append("  body, ").append(body.length).append(" bytes: ");
    for (int i = 0; i < Math.min(body.length, SHOWN_BODY_BYTES); i++) {
      int b = body[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02X", b));
      }
    }
    if (body.length > SHOWN_BODY_BYTES) {
      text.append("... (").append(body.length - SHOWN_BODY_BYTES).append(" more bytes)");
    }
    return text.toString();
  }

  private static String shown(String value, int max) {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < Math.min(value.length(), max); i++) {
      char c = value.charAt(i);
      shown.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return value.length() > max
        ? shown + "... (" + (value.length() - max) + " more chars)"
        : shown.toString();
  }
}
