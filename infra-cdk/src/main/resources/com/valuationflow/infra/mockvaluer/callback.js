// Posts the mock valuer's result, event.callback, to event.callbackUrl. A network error or a 5xx
// answer throws CallbackFailed, which the state machine retries; any other answer is final.
class CallbackFailed extends Error {
  constructor(message) {
    super(message);
    this.name = 'CallbackFailed';
  }
}

exports.handler = async (event) => {
  let response;
  try {
    response = await fetch(event.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event.callback),
      signal: AbortSignal.timeout(10000),
    });
  } catch (e) {
    throw new CallbackFailed('The callback failed: ' + e.message);
  }
  const answer = await response.text();
  console.log(JSON.stringify({ status: response.status, answer: answer.slice(0, 1000) }));
  if (response.status >= 500) {
    throw new CallbackFailed('The callback answered HTTP ' + response.status);
  }
  return { status: response.status };
};
