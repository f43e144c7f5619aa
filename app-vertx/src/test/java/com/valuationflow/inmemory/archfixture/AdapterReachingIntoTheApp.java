package com.valuationflow.inmemory.archfixture;

import com.valuationflow.app.AppConfig;

/** Breaks the adapter rules on purpose; imported only by the test that proves they bite. */
public final class AdapterReachingIntoTheApp {

  public int port() {
    return AppConfig.defaults().port();
  }
}
