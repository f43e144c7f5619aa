package com.valuationflow.app.mockvaluer;

import com.valuationflow.domain.model.Property;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The mock valuer's valuations: a whole number of thousands from £100,000 to £1,999,000, derived
 * from the address, so the same property is always worth the same.
 */
public final class MockValuations {

  private MockValuations() {}

  public static long valueOf(Property property) {
    String address =
        property.nameOrNumber().strip().toUpperCase(Locale.ROOT)
            + "|"
            + property.normalisedPostcode();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(address.getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | (digest[i] & 0xFF);
      }
      return 100_000 + Long.remainderUnsigned(bits, 1_900) * 1_000;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
