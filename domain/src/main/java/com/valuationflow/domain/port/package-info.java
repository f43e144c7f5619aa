/**
 * What the use cases need from the outside world. Each port has an in-memory adapter and a
 * production adapter, and every adapter passes the same contract tests. Expected outcomes are
 * return values; exceptions mean a programming error or a broken dependency.
 */
package com.valuationflow.domain.port;
