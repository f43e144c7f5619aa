// The mock valuer's front door, behind a function URL: takes
// {"property":{"nameOrNumber","postcode"},"callbackUrl"}, answers 202 {"valuationReference"} and
// starts the state machine that calls back after DELAY_SECONDS. Reserved names of the property:
// "Unavailable" answers 503, "No callback" never calls back, "Failed response" reports a failure.
const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn');
const { createHash, randomUUID } = require('node:crypto');

const sfn = new SFNClient({});
const DELAY_SECONDS = Number(process.env.DELAY_SECONDS || '6');

const reply = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

// A whole number of thousands from 100,000 to 1,999,000, the same for the same address.
const valueOf = (property) => {
  const address =
    property.nameOrNumber.trim().toUpperCase() + '|' +
    property.postcode.replace(/\s+/g, '').toUpperCase();
  const bits = createHash('sha256').update(address).digest().readBigUInt64BE(0);
  return 100000 + Number(bits % 1900n) * 1000;
};

exports.handler = async (event) => {
  if (event.requestContext?.http?.method !== 'POST') {
    return reply(405, { error: 'POST a valuation request' });
  }
  let request;
  try {
    const text = event.isBase64Encoded
      ? Buffer.from(event.body || '', 'base64').toString('utf8')
      : event.body || '';
    request = JSON.parse(text);
  } catch (e) {
    return reply(400, { error: 'The body must be JSON' });
  }
  const property = request?.property;
  const callbackUrl = request?.callbackUrl;
  if (typeof property?.nameOrNumber !== 'string' || typeof property?.postcode !== 'string') {
    return reply(400, { error: 'property.nameOrNumber and property.postcode are required' });
  }
  if (typeof callbackUrl !== 'string' || !/^https?:\/\/\S+$/.test(callbackUrl)) {
    return reply(400, { error: 'callbackUrl must be an http(s) URL' });
  }
  const trigger = property.nameOrNumber.trim().toLowerCase();
  if (trigger === 'unavailable') {
    return reply(503, { error: 'The mock valuer is unavailable, as asked' });
  }
  const valuationReference = 'val-' + randomUUID();
  if (trigger !== 'no callback') {
    const callback =
      trigger === 'failed response'
        ? { valuationReference, failed: true, reason: 'The mock valuer could not value it' }
        : { valuationReference, propertyValue: valueOf(property) };
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: process.env.STATE_MACHINE_ARN,
        name: valuationReference,
        input: JSON.stringify({ callbackUrl, delaySeconds: DELAY_SECONDS, callback }),
      }),
    );
  }
  return reply(202, { valuationReference });
};
