/**
 * The loan processor's use cases, one class each. They are synchronous and thread-safe; callers on
 * an event loop run them on a worker thread.
 */
package com.valuationflow.domain.usecase;
