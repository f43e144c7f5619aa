package com.valuationflow.app.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps Vert.x's {@code route} label to route patterns: a request no route matched (a 404, a
 * refusal before routing) is labelled {@code unmatched} rather than with nothing.
 */
final class RouteLabel {

  static final String UNMATCHED = "unmatched";

  private RouteLabel() {}

  static MeterFilter filter() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String route = id.getTag("route");
        if (route == null || !route.isEmpty()) {
          return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
          tags.add(tag.getKey().equals("route") ? Tag.of("route", UNMATCHED) : tag);
        }
        return id.replaceTags(tags);
      }
    };
  }
}
