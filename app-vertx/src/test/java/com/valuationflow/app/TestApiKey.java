package com.valuationflow.app;

import com.valuationflow.app.auth.ApiKeys;

/** The API key the tests' apps accept, with both permissions, when access control is on. */
public final class TestApiKey {

  /** 32 random bytes, hex: as an operator would generate one. */
  public static final String KEY =
      "5f0c7a1e9b3d4c2a8e6f1b0d7c9a3e5f2b4d6c8a0e1f3b5d7c9a2e4f6b8d0c1a";

  /** {@code API_KEYS} naming this key {@code tests}, with the read and submit permissions. */
  public static final String API_KEYS = "tests:read+submit:" + ApiKeys.hash(KEY);

  public static final String AUTHORIZATION = "Bearer " + KEY;

  private TestApiKey() {}
}
