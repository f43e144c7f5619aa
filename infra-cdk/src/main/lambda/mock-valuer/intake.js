'use strict';
// The mock valuer's front door, behind a function URL. Takes
// {"property":{"nameOrNumber","postcode"},"callbackUrl"} and answers 202 {"valuationReference"},
// as the app's mock valuer does, trigger for trigger (see valuer.js): every callback is one
// execution of the mock valuer state machine, named after the valuation reference, with input
//   {callbackUrl, delaySeconds, webhookId, callback, copies, attemptsMade}
// which waits delaySeconds and then delivers the callback (see callback.js).
//
// It honours Idempotency-Key without a store of its own: a request with a key is valued under a
// reference derived from the key, so its execution is named by the key, and its input keeps the
// request; a repeat finds the execution and is answered with the same reference, valuing nothing
// again, and the same key with another request is refused (422 idempotency-key-reused).
const { createHash, randomUUID } = require('node:crypto');
const {
  SFNClient,
  StartExecutionCommand,
  DescribeExecutionCommand,
} = require('@aws-sdk/client-sfn');
const valuer = require('./valuer');

const DELAY_SECONDS = Number(process.env.DELAY_SECONDS || '6');
// How long the loan processor waits for a valuation: a late callback comes after it.
const VALUATION_TIMEOUT_SECONDS = Number(process.env.VALUATION_TIMEOUT_SECONDS || '3600');
// A slow reply comes this long after the request: just after the loan processor gave up waiting.
const SLOW_REPLY_MS = Number(process.env.SLOW_REPLY_MS || '10500');
// Visible ASCII, as the header's specification allows.
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;
const UK_POSTCODE = /^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/;

let sfn;

const reply = (statusCode, body, contentType = 'application/json') => ({
  statusCode,
  headers: { 'content-type': contentType },
  body: JSON.stringify(body),
});

// An RFC 9457 problem, as the app answers.
const problem = (status, type, title, detail, errors) =>
  reply(
    status,
    { type: '/problems/' + type, title, status, detail, ...(errors && { errors }) },
    'application/problem+json',
  );

const invalid = (errors) =>
  problem(
    400,
    'invalid-request',
    'The request is invalid',
    errors.map((e) => `${e.field} ${e.detail}`).join('; '),
    errors,
  );

// The request, or the list of what is wrong with it.
const parse = (event) => {
  let request;
  try {
    const text = event.isBase64Encoded
      ? Buffer.from(event.body || '', 'base64').toString('utf8')
      : event.body;
    request = JSON.parse(text || '');
  } catch {
    return { errors: [{ field: '', detail: 'The body must be JSON' }] };
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return { errors: [{ field: '', detail: 'The body must be a JSON object' }] };
  }
  const errors = [];
  const { property, callbackUrl } = request;
  const name = property?.nameOrNumber;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
    errors.push({ field: 'property.nameOrNumber', detail: 'must be 1 to 100 characters' });
  }
  if (typeof property?.postcode !== 'string' || !UK_POSTCODE.test(property.postcode)) {
    errors.push({ field: 'property.postcode', detail: "must be a UK postcode such as 'PO1 1CE'" });
  }
  if (!isHttpUrl(callbackUrl)) {
    errors.push({ field: 'callbackUrl', detail: 'must be an absolute http(s) URL' });
  }
  return errors.length > 0 ? { errors } : { property, callbackUrl };
};

const isHttpUrl = (text) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

// Hands one message to the state machine, which waits delaySeconds and then delivers it.
const schedule = (valuationReference, input) => {
  sfn ??= new SFNClient({});
  return sfn.send(
    new StartExecutionCommand({
      stateMachineArn: process.env.STATE_MACHINE_ARN,
      name: valuationReference,
      input: JSON.stringify(input),
    }),
  );
};

// The reference a request with this key is valued under, the same for every repeat: a UUID
// (version 8, RFC 9562) made of the key's SHA-256 digest, shaped as the other references.
const referenceFor = (idempotencyKey) => {
  const hex = createHash('sha256').update('valuation:' + idempotencyKey).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return (
    'val-' +
    [hex.slice(0, 8), hex.slice(8, 12), '8' + hex.slice(13, 16), variant + hex.slice(17, 20), hex.slice(20, 32)].join('-')
  );
};

// The request as a repeat must match it.
const fingerprint = (property, callbackUrl) =>
  createHash('sha256')
    .update(JSON.stringify([property.nameOrNumber, property.postcode, callbackUrl]))
    .digest('hex');

// The request the key came with before, if its execution exists: its fingerprint.
const requestBefore = async (valuationReference) => {
  sfn ??= new SFNClient({});
  const executionArn =
    process.env.STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:') +
    ':' +
    valuationReference;
  try {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return JSON.parse(execution.input || '{}').request || 'unknown';
  } catch (e) {
    if (e.name === 'ExecutionDoesNotExist') {
      return undefined;
    }
    throw e;
  }
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const header = (event, name) => {
  const headers = event.headers || {};
  const found = Object.keys(headers).find((h) => h.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
};

exports.handler = async (event) => {
  if (event.requestContext?.http?.method !== 'POST') {
    return problem(405, 'method-not-allowed', 'Method not allowed', 'POST a valuation request');
  }
  const { property, callbackUrl, errors } = parse(event);
  if (errors) {
    return invalid(errors);
  }
  const scenario = valuer.scenarioOf(property.nameOrNumber);
  if (scenario === 'UNAVAILABLE') {
    return problem(503, 'valuer-unavailable', 'Valuer unavailable', 'Try again later');
  }
  const idempotencyKey = header(event, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return invalid([
      { field: 'Idempotency-Key', detail: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  const request = fingerprint(property, callbackUrl);
  const valuationReference =
    idempotencyKey === undefined ? 'val-' + randomUUID() : referenceFor(idempotencyKey);
  if (idempotencyKey !== undefined) {
    const before = await requestBefore(valuationReference);
    if (before !== undefined) {
      return before === request
        ? reply(202, { valuationReference })
        : problem(
            422,
            'idempotency-key-reused',
            'Idempotency key reused',
            'This Idempotency-Key came before with another request',
          );
    }
  }
  const webhookId =
    idempotencyKey === undefined
      ? valuer.newMessageId()
      : 'msg_' + valuationReference.slice('val-'.length).replaceAll('-', '');
  // The execution input: one message, its webhook-id chosen once for all its attempts.
  const message = (
    callback,
    { delaySeconds = DELAY_SECONDS, copies = 1, attemptsMade = 0 } = {},
  ) => ({
    callbackUrl,
    delaySeconds,
    webhookId,
    callback,
    copies,
    attemptsMade,
    request,
  });
  switch (scenario) {
    case 'NO_CALLBACK':
      console.log(JSON.stringify({ valuationReference, scenario, callback: 'none' }));
      break;
    case 'EARLY_CALLBACK': {
      // The first attempt before the answer; the state machine makes the rest, if any is needed.
      const callback = valuer.valuation(property, valuationReference);
      const first = await valuer.deliverOnce(callbackUrl, webhookId, callback);
      if (valuer.worthRetrying(first.status)) {
        // The wait after attempt 1 is random up to 1 s (full jitter), in the Wait state's seconds.
        await schedule(
          valuationReference,
          message(callback, { delaySeconds: Math.round(Math.random()), attemptsMade: 1 }),
        );
      }
      break;
    }
    case 'LATE_CALLBACK':
      await schedule(
        valuationReference,
        message(valuer.valuation(property, valuationReference), {
          delaySeconds: VALUATION_TIMEOUT_SECONDS + DELAY_SECONDS,
        }),
      );
      break;
    case 'UNKNOWN_REFERENCE':
      await schedule(
        valuationReference,
        message(valuer.valuation(property, 'val-unknown-' + randomUUID())),
      );
      break;
    case 'FAILED_RESPONSE':
      await schedule(valuationReference, message(valuer.failure(valuationReference)));
      break;
    case 'DUPLICATE_RESPONSE':
      // One message, three copies posted at once: the same webhook-id on each.
      await schedule(
        valuationReference,
        message(valuer.valuation(property, valuationReference), { copies: 3 }),
      );
      break;
    case 'SLOW_REPLY':
      // Values the property as usual, but replies only after the loan processor stopped waiting.
      await schedule(valuationReference, message(valuer.valuation(property, valuationReference)));
      await sleep(SLOW_REPLY_MS);
      break;
    default:
      await schedule(valuationReference, message(valuer.valuation(property, valuationReference)));
  }
  return reply(202, { valuationReference });
};
