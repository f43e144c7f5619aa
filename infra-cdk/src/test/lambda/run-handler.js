'use strict';
// Runs a Lambda function's handler as the Node.js runtime would, for the tests:
//   node run-handler.js <handler file> < {"invocations": [{"event": {...}, "clockOffsetSeconds": 0}],
//                                          "stripSignatures": false}
// Invokes the handler once per invocation, in order, in this one process (one function instance),
// and prints one JSON line as each ends: {"result": ...} or {"error": {"name", "message"}}.
// clockOffsetSeconds moves Date.now(), as if that much time had passed (a retry's backoff).
// stripSignatures removes the webhook-* headers from every request the handler sends: a variant
// of the function that posts unsigned callbacks, which the tests must catch.
const path = require('node:path');
const util = require('node:util');

// The handlers' logs go to stderr, so that stdout carries only the results.
console.log = (...args) => process.stderr.write(util.format(...args) + '\n');

const realNow = Date.now;
const realFetch = globalThis.fetch;

const read = async (stream) => {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return JSON.parse(text);
};

const main = async () => {
  const { handler } = require(path.resolve(process.argv[2]));
  const { invocations, stripSignatures } = await read(process.stdin);
  if (stripSignatures) {
    globalThis.fetch = (url, init = {}) => {
      const headers = new Headers(init.headers);
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
        headers.delete(name);
      return realFetch(url, { ...init, headers });
    };
  }
  for (const { event, clockOffsetSeconds = 0 } of invocations) {
    Date.now = () => realNow() + clockOffsetSeconds * 1000;
    try {
      const result = await handler(event, {});
      process.stdout.write(JSON.stringify({ result: result ?? null }) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ error: { name: e.name, message: e.message } }) + '\n');
    }
  }
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
