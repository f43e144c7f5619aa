package com.valuationflow.app.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * What the load driver does with each application, drawn from a seed so that a run can be repeated:
 * whether its callback comes on time, early (before the valuer's reply) or late (after the
 * valuation timeout), and the three deliveries of that callback.
 */
final class LoadPlan {

  /** How the valuer treats one application. */
  enum Kind {
    /** Replies at once; the callback comes after the reply, before the timeout. */
    ON_TIME,
    /** Delivers one or two copies of the callback before it replies, the rest after. */
    EARLY,
    /** Replies at once; the callback comes after the application timed out. */
    LATE
  }

  static final int COPIES = 3;
  private static final double EARLY_SHARE = 0.20;
  private static final double LATE_SHARE = 0.15;

  /**
   * One delivery of an application's callback. A copy repeats the previous copy's {@code
   * webhook-id} (a retry of the same message) or carries a new one (the valuer sending it again).
   */
  record Delivery(Application application, int copy, String messageId) {}

  /** One loan application and how its valuation goes. */
  static final class Application {
    private final int index;
    private final Kind kind;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final int earlyCopies;

    Application(int index, Kind kind, int earlyCopies) {
      this.index = index;
      this.kind = kind;
      this.earlyCopies = earlyCopies;
    }

    int index() {
      return index;
    }

    Kind kind() {
      return kind;
    }

    String reference() {
      return "load-" + index;
    }

    String nameOrNumber() {
      return "House " + index;
    }

    long propertyValue() {
      return 100_000L + index;
    }

    String valuationReference() {
      return "val-load-" + index;
    }

    String submission() {
      return "{\"applicationReference\":\""
          + reference()
          + "\",\"property\":{\"nameOrNumber\":\""
          + nameOrNumber()
          + "\",\"postcode\":\"PO1 1CE\"}}";
    }

    String callback() {
      return "{\"valuationReference\":\""
          + valuationReference()
          + "\",\"propertyValue\":"
          + propertyValue()
          + "}";
    }

    /** The copies delivered before the valuer replies: none unless early. */
    List<Delivery> early() {
      return deliveries.subList(0, earlyCopies);
    }

    /** The copies delivered after the valuer replied (after the timeout, if late). */
    List<Delivery> later() {
      return deliveries.subList(earlyCopies, deliveries.size());
    }
  }

  private final List<Application> applications;
  private final long seed;

  private LoadPlan(List<Application> applications, long seed) {
    this.applications = applications;
    this.seed = seed;
  }

  static LoadPlan draw(int count, long seed) {
    Random random = new Random(seed);
    List<Application> applications = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double draw = random.nextDouble();
      Kind kind =
          draw < EARLY_SHARE
              ? Kind.EARLY
              : draw < EARLY_SHARE + LATE_SHARE ? Kind.LATE : Kind.ON_TIME;
      Application application =
          new Application(i, kind, kind == Kind.EARLY ? 1 + random.nextInt(2) : 0);
      int message = 0;
      for (int copy = 0; copy < COPIES; copy++) {
        if (copy > 0 && random.nextBoolean()) {
          message++;
        }
        application.deliveries.add(
            new Delivery(application, copy, "msg_load_" + i + "_" + message));
      }
      applications.add(application);
    }
    return new LoadPlan(List.copyOf(applications), seed);
  }

  List<Application> applications() {
    return applications;
  }

  Application application(int index) {
    return applications.get(index);
  }

  long count(Kind kind) {
    return applications.stream().filter(application -> application.kind() == kind).count();
  }

  /** The later copies of the applications of these kinds, in an order drawn from the seed. */
  List<Delivery> laterDeliveriesShuffled(Predicate<Kind> kinds) {
    List<Delivery> deliveries = new ArrayList<>();
    applications.stream()
        .filter(application -> kinds.test(application.kind()))
        .forEach(application -> deliveries.addAll(application.later()));
    Collections.shuffle(deliveries, new Random(seed ^ deliveries.size()));
    return deliveries;
  }
}
