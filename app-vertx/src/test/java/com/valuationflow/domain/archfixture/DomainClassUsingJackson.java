package com.valuationflow.domain.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks the domain rules on purpose; imported only by the test that proves they bite. */
public final class DomainClassUsingJackson {

  public String write(Object value) throws Exception {
    return new ObjectMapper().writeValueAsString(value);
  }
}
