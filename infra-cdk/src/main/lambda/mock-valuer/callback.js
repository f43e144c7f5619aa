'use strict';
// The mock valuer state machine's CallBack task: one attempt to deliver the execution's callback,
// signed with its webhook-id. Input: the execution's input,
//   {callbackUrl, webhookId, callback: <the body>, copies, delaySeconds, attemptsMade}.
// "copies" > 1 posts that many copies at once (the "Duplicate response" trigger). When the webhook
// could not take it (no answer, 408, 429, 5xx) the task fails with CallbackFailed and the state
// machine tries again after a backoff with full jitter; any other answer is final.
const { deliverOnce, worthRetrying } = require('./valuer');

class CallbackFailed extends Error {
  constructor(message) {
    super(message);
    this.name = 'CallbackFailed'; // the error the state machine's Retry matches
  }
}

exports.handler = async (event) => {
  const { callbackUrl, webhookId, callback } = event;
  if (typeof callbackUrl !== 'string' || typeof webhookId !== 'string' || !callback) {
    throw new Error('The input needs callbackUrl, webhookId and callback');
  }
  const copies = Number.isInteger(event.copies) && event.copies > 0 ? event.copies : 1;
  const deliveries = await Promise.all(
    Array.from({ length: copies }, () => deliverOnce(callbackUrl, webhookId, callback)),
  );
  const unanswered = deliveries.filter((delivery) => worthRetrying(delivery.status));
  if (unanswered.length > 0) {
    const { status, answer } = unanswered[0];
    throw new CallbackFailed(
      `The webhook could not take ${webhookId}: ${status === 0 ? answer : `HTTP ${status} ${answer}`}`,
    );
  }
  return { webhookId, deliveries };
};
