'use strict';
// What the deployed mock valuer shares between its two functions, kept the same as the app's own
// mock valuer (MockValuerHandler, Scenario, MockValuations, CallbackSender, WebhookSigner):
// the triggers, the value of a property, the failure reason, and the signed delivery of one
// callback attempt the Standard Webhooks way.
const { createHash, createHmac, randomUUID } = require('node:crypto');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

// Reserved values of property.nameOrNumber, compared ignoring case and surrounding space.
const SCENARIOS = {
  'no callback': 'NO_CALLBACK',
  'late callback': 'LATE_CALLBACK',
  'unknown reference': 'UNKNOWN_REFERENCE',
  'failed response': 'FAILED_RESPONSE',
  'duplicate response': 'DUPLICATE_RESPONSE',
  'early callback': 'EARLY_CALLBACK',
  'slow reply': 'SLOW_REPLY',
  unavailable: 'UNAVAILABLE',
};

const FAILURE_REASON = 'The valuer could not access the property';

// How long one delivery attempt waits for the webhook's answer.
const ATTEMPT_TIMEOUT_MS = 10000;

const scenarioOf = (nameOrNumber) => SCENARIOS[nameOrNumber.trim().toLowerCase()] || 'NORMAL';

// "PO11ce" -> "PO1 1CE": upper case, one space before the last three characters.
const normalisedPostcode = (postcode) => {
  const compact = postcode.replaceAll(' ', '').toUpperCase();
  return compact.slice(0, -3) + ' ' + compact.slice(-3);
};

// A whole number of thousands from 100,000 to 1,999,000, the same for the same address: the
// first 8 bytes of SHA-256("NAMEORNUMBER|POSTCODE"), unsigned, modulo 1900.
const valueOf = (property) => {
  const address =
    property.nameOrNumber.trim().toUpperCase() + '|' + normalisedPostcode(property.postcode);
  const bits = createHash('sha256').update(address, 'utf8').digest().readBigUInt64BE(0);
  return 100000 + Number(bits % 1900n) * 1000;
};

const valuation = (property, valuationReference) => ({
  valuationReference,
  propertyValue: valueOf(property),
});

const failure = (valuationReference) => ({
  valuationReference,
  failed: true,
  reason: FAILURE_REASON,
});

// A new message's webhook-id; every attempt to deliver that message carries the same one.
const newMessageId = () => 'msg_' + randomUUID().replaceAll('-', '');

// The signing key: the secret WEBHOOK_SECRET_ARN names holds the base64 text of the key (the
// app's WEBHOOK_SECRET is "whsec_" + that text). Read once per function instance.
let signingKey;
const loadSigningKey = async () => {
  const secrets = new SecretsManagerClient({});
  const { SecretString: text } = await secrets.send(
    new GetSecretValueCommand({ SecretId: process.env.WEBHOOK_SECRET_ARN }),
  );
  const key = Buffer.from(text || '', 'base64');
  // Never quote the secret in an error: it would end up in the logs.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text || '') || key.length < 24 || key.length > 64) {
    throw new Error('The webhook secret must be the base64 text of a 24 to 64 byte key');
  }
  return key;
};
const key = () => {
  signingKey ??= loadSigningKey().catch((e) => {
    signingKey = undefined; // try again on the next call
    throw e;
  });
  return signingKey;
};

// "v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{payload}">"
const signature = (secretKey, id, timestamp, payload) =>
  'v1,' +
  createHmac('sha256', secretKey).update(`${id}.${timestamp}.${payload}`, 'utf8').digest('base64');

// Whether another attempt may succeed: no answer, 408, 429 or 5xx. Any other answer is final.
const worthRetrying = (status) => status === 0 || status === 408 || status === 429 || status >= 500;

// One attempt to deliver a message: signed now, with the message's id. Never throws: without an
// answer (refused, timed out after 10 s) the status is 0 and the answer says why.
const deliverOnce = async (url, id, body) => {
  const secretKey = await key(); // a secret that cannot be read is no reason to retry: it throws
  const payload = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000).toString();
  let status = 0;
  let answer;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signature(secretKey, id, timestamp, payload),
      },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    status = response.status;
    answer = answerOf(await response.text());
  } catch (e) {
    answer = e.cause?.code || `${e.name}: ${e.message}`; // ECONNREFUSED, TimeoutError: ...
  }
  console.log(
    JSON.stringify({ webhookId: id, valuationReference: body.valuationReference, status, answer }),
  );
  return { status, answer };
};

// The webhook's outcome, or its problem type.
const answerOf = (text) => {
  try {
    const json = JSON.parse(text);
    return json.outcome || json.type || '';
  } catch {
    return '';
  }
};

module.exports = {
  FAILURE_REASON,
  scenarioOf,
  valueOf,
  valuation,
  failure,
  newMessageId,
  worthRetrying,
  deliverOnce,
};
