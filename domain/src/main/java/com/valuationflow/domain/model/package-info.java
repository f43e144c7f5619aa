/**
 * Value objects of the loan processor: loan applications, properties, valuations and task tokens.
 * Every record validates on construction, so an instance is always valid.
 */
package com.valuationflow.domain.model;
