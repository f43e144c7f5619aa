package com.valuationflow.app.auth;

import java.util.Locale;

/**
 * What a caller may do: {@link #READ} the loan applications and the execution view, {@link #SUBMIT}
 * applications. Neither implies the other.
 */
public enum Permission {
  /** {@code GET /loan-applications/{ref}}, the view's pages and its live stream. */
  READ,
  /** {@code POST /loan-applications}. */
  SUBMIT;

  /** The name used in settings: {@code read} or {@code submit}. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Permission fromSettingName(String text) {
    for (Permission permission : values()) {
      if (permission.settingName().equals(text)) {
        return permission;
      }
    }
    throw new IllegalArgumentException("unknown permission '" + text + "' (read or submit)");
  }
}
