// Lambda's Node.js runtime, locally: what /var/runtime/index.mjs does on AWS, after Amazon's
// aws-lambda-nodejs-runtime-interface-client. Loads the handler _HANDLER names from
// LAMBDA_TASK_ROOT, takes invocations one at a time from the Runtime API at
// AWS_LAMBDA_RUNTIME_API, and posts each result, or each error as
// {"errorType","errorMessage","trace"}; an error loading the handler goes to /init/error.
// node:http rather than fetch: the long poll for the next invocation must never time out.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const util = require('node:util');

const [API_HOST, API_PORT] = (process.env.AWS_LAMBDA_RUNTIME_API || '').split(':');
const API = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function runtimeError(name) {
  const RuntimeError = class extends Error {};
  RuntimeError.prototype.name = `Runtime.${name}`;
  return RuntimeError;
}
const ImportModuleError = runtimeError('ImportModuleError');
const HandlerNotFound = runtimeError('HandlerNotFound');
const MalformedHandlerName = runtimeError('MalformedHandlerName');
const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
class NodeJsExit extends Error {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly' +
        ' caused by a Promise that was never settled. For more information, see' +
        ' https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
NodeJsExit.prototype.name = 'Runtime.NodeJsExit';
class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

// --- The Runtime API ---

function call(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const request = http.request(
      {
        host: API_HOST,
        port: Number(API_PORT),
        path: API + route,
        method,
        agent,
        headers: data
          ? { 'Content-Type': 'application/json', 'Content-Length': data.length, ...headers }
          : headers,
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(data);
  });
}

function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || isError(error)) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: error.stack.replaceAll('\x7F', '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or' +
        ' more of its message, name, and stack',
    };
  }
}

function isError(value) {
  return (
    value &&
    typeof value.name === 'string' &&
    typeof value.message === 'string' &&
    typeof value.stack === 'string'
  );
}

async function postError(route, error) {
  const body = toRapidResponse(error);
  await call('POST', route, JSON.stringify(body), {
    'Lambda-Runtime-Function-Error-Type': body.errorType,
  });
}

// --- Logging, in Lambda's text format ---

let requestId;
const write = (stream, level) =>
  (...args) =>
    stream.write(
      `${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t` +
        `${util.format(...args)}\n`,
    );
console.log = console.info = write(process.stdout, 'INFO');
console.debug = write(process.stdout, 'DEBUG');
console.trace = write(process.stdout, 'TRACE');
console.warn = write(process.stderr, 'WARN');
console.error = write(process.stderr, 'ERROR');

function logError(what, error) {
  const formatted =
    error instanceof Error
      ? JSON.stringify({
          errorType: error.name,
          errorMessage: error.message,
          ...error,
          stack: typeof error.stack === 'string' ? error.stack.split('\n') : error.stack,
        })
      : JSON.stringify(error);
  console.error(`${what} \t${formatted}`);
}

// --- Loading the handler, as UserFunction.js does ---

async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root` +
        ' directories in handler names.',
    );
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = handlerString.match(/^([^.]*)\.(.*)$/);
  if (!match || match.length !== 3) {
    throw new MalformedHandlerName('Bad handler');
  }
  const [, moduleName, handlerPath] = match;
  let app;
  try {
    app = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new UserCodeSyntaxError(e);
    } else if (e.code === 'MODULE_NOT_FOUND') {
      throw new ImportModuleError(e);
    }
    throw e;
  }
  const handler = handlerPath.split('.').reduce((object, key) => object && object[key], app);
  if (!handler) {
    throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new HandlerNotFound(`${fullHandler} is not a function`);
  }
  return handler;
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const file = path.resolve(appRoot, moduleRoot, moduleName);
  const exists = (extension) => fs.existsSync(file + extension);
  if (exists('')) {
    return require(file);
  }
  const esm = exists('.js') && typeModule(path.dirname(file));
  if (exists('.js') && !esm) {
    return require(file + '.js');
  }
  if (esm) {
    return await import(file + '.js');
  }
  if (exists('.mjs')) {
    return await import(file + '.mjs');
  }
  if (exists('.cjs')) {
    return require(file + '.cjs');
  }
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

function typeModule(folder) {
  if (folder.endsWith('/node_modules')) {
    return false;
  }
  const packageJson = path.join(folder, 'package.json');
  if (fs.existsSync(packageJson)) {
    try {
      return JSON.parse(fs.readFileSync(packageJson, 'utf8')).type === 'module';
    } catch (_) {
      return false;
    }
  }
  return folder === '/' ? false : typeModule(path.resolve(folder, '..'));
}

// --- Invoking it ---

let settle;

function run(handler, event, context) {
  return new Promise((resolve, reject) => {
    settle = { resolve, reject, async: handler.constructor?.name === 'AsyncFunction' };
    const callback = (error, result) =>
      error !== undefined && error !== null ? reject(error) : resolve(result);
    Object.assign(context, {
      succeed: (result) => resolve(result),
      fail: (error) => reject(error ?? 'handled'),
      done: callback,
    });
    const result = handler(event, context, callback);
    if (result && typeof result.then === 'function') {
      result.then(resolve, reject);
    } else if (handler.length < 3) {
      // A synchronous handler without a callback answers null, as on AWS.
      setImmediate(() => resolve(null));
    }
  });
}

function contextOf(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

async function loop(handler) {
  for (;;) {
    const next = await call('GET', '/invocation/next');
    if (next.status !== 200) {
      throw new Error(`The Runtime API answered ${next.status} for the next invocation`);
    }
    requestId = next.headers['lambda-runtime-aws-request-id'];
    const trace = next.headers['lambda-runtime-trace-id'];
    if (trace) {
      process.env._X_AMZN_TRACE_ID = trace;
    } else {
      delete process.env._X_AMZN_TRACE_ID;
    }
    let body;
    try {
      const result = await run(handler, JSON.parse(next.body), contextOf(next.headers));
      try {
        body = JSON.stringify(result === undefined ? null : result);
      } catch (_) {
        throw new Error('Unable to stringify response body');
      }
    } catch (error) {
      logError('Invoke Error', error);
      await postError(`/invocation/${encodeURIComponent(requestId)}/error`, error);
      continue;
    } finally {
      settle = undefined;
    }
    const posted = await call('POST', `/invocation/${encodeURIComponent(requestId)}/response`, body);
    if (posted.status >= 300) {
      console.error(`Failed to post handler success response. Http response code: ${posted.status}.`);
    }
  }
}

// Nothing left to run while an invocation is open: an async handler's promise never settled (an
// error), or a callback was never called (a null result), as the real runtime decides.
process.on('beforeExit', () =>
  settle?.async ? settle.reject(new NodeJsExit()) : settle?.resolve(null),
);

let initialized = false;
function crash(error, exitCode) {
  const route = !initialized
    ? '/init/error'
    : requestId && settle
      ? `/invocation/${encodeURIComponent(requestId)}/error`
      : undefined;
  (route ? postError(route, error) : Promise.resolve())
    .catch(() => {})
    .finally(() => process.exit(exitCode));
}
process.on('uncaughtException', (error) => {
  logError('Uncaught Exception', error);
  crash(error, 129);
});
process.on('unhandledRejection', (reason, promise) => {
  const error = new UnhandledPromiseRejection(reason, promise);
  logError('Unhandled Promise Rejection', error);
  crash(error, 128);
});

(async () => {
  const handler = await loadHandler(
    process.env.LAMBDA_TASK_ROOT || process.cwd(),
    process.env._HANDLER || '',
  );
  initialized = true;
  await loop(handler);
})().catch((error) => {
  if (!initialized) {
    logError('Uncaught Exception', error);
    crash(error, 129);
  } else {
    // The Runtime API is gone: the environment is shutting down.
    process.exit(1);
  }
});
