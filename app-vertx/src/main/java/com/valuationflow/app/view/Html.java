package com.valuationflow.app.view;

/**
 * Builds HTML text in which every value is escaped: nothing a caller or a valuer sent becomes
 * markup.
 */
final class Html {

  private final StringBuilder text = new StringBuilder(4096);

  /** Appends markup written here, never a value. */
  Html raw(String markup) {
    text.append(markup);
    return this;
  }

  /** Appends a value, escaped for element content and quoted attribute values alike. */
  Html text(Object value) {
    text.append(escape(String.valueOf(value)));
    return this;
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            escaped.append('\uFFFD');
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
