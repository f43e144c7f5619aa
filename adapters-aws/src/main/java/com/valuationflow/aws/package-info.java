/**
 * AWS adapters: Step Functions behind the workflow ports, the settings every AWS client is built
 * with, and the DynamoDB table that keeps task tokens (and the record of submissions that tells the
 * starter a repeat from a first start). No AWS SDK type crosses a port; SDK errors that are not
 * expected outcomes surface as {@link com.valuationflow.aws.WorkflowServiceUnavailableException}.
 */
package com.valuationflow.aws;
