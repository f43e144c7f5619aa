package com.valuationflow.domain.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The property to be valued, identified as a UK address is: a house name or number and a postcode.
 *
 * @param nameOrNumber house name or number, 1 to 100 characters
 * @param postcode a UK postcode such as {@code PO1 1CE}; kept as given
 */
public record Property(String nameOrNumber, String postcode) {

  private static final Pattern UK_POSTCODE =
      Pattern.compile("[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}");

  public Property {
    Validation.requireText(nameOrNumber, "nameOrNumber", 100);
    Validation.requireMatch(postcode, "postcode", UK_POSTCODE, "a UK postcode such as 'PO1 1CE'");
  }

  public static Property of(String nameOrNumber, String postcode) {
    return new Property(nameOrNumber, postcode);
  }

  /** The postcode in upper case with a single space before the inward code ({@code PO1 1CE}). */
  public String normalisedPostcode() {
    String compact = postcode.replace(" ", "").toUpperCase(Locale.ROOT);
    return compact.substring(0, compact.length() - 3)
        + " "
        + compact.substring(compact.length() - 3);
  }

  /** Whether both denote the same address, ignoring postcode spacing and case. */
  public boolean sameAddressAs(Property other) {
    Objects.requireNonNull(other, "'other' must not be null");
    return nameOrNumber.strip().equalsIgnoreCase(other.nameOrNumber.strip())
        && normalisedPostcode().equals(other.normalisedPostcode());
  }
}
