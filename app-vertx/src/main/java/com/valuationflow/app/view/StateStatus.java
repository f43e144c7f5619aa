package com.valuationflow.app.view;

/** How far an execution got with one state: named in words and drawn in a colour and shape. */
enum StateStatus {
  NOT_REACHED("not reached", "not-reached"),
  RUNNING("in progress", "running"),
  WAITING("waiting", "waiting"),
  SUCCEEDED("succeeded", "succeeded"),
  FAILED("failed", "failed"),
  TIMED_OUT("timed out", "failed"),
  ABORTED("aborted", "failed");

  private final String label;
  private final String cssClass;

  StateStatus(String label, String cssClass) {
    this.label = label;
    this.cssClass = cssClass;
  }

  String label() {
    return label;
  }

  /**
   * The style: {@code not-reached}, {@code running}, {@code waiting}, {@code succeeded} or {@code
   * failed}.
   */
  String cssClass() {
    return cssClass;
  }

  boolean isOpen() {
    return this == RUNNING || this == WAITING;
  }
}
