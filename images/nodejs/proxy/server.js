'use strict';
// The action proxy of the nodejs:18 runtime: OpenWhisk's action container protocol on port 8080.
// POST /init loads the action once; POST /run calls its main with the arguments and answers with the
// result. After every run, and after a failed init, the end-of-activation sentinel goes to stdout and
// stderr so the invoker knows where this activation's logs end.

const http = require('node:http');
const action = require('./action');

const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n';

/** Resolves once the sentinel has been handed to both streams, behind everything the action wrote. */
function writeSentinels(streams) {
  const write = (stream) => new Promise((resolve) => stream.write(SENTINEL, () => resolve()));
  return Promise.all([write(streams.stdout), write(streams.stderr)]);
}

function send(res, status, json) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text.length === 0 ? {} : JSON.parse(text));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function envString(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function concurrencyAllowed() {
  const flag = process.env.__OW_ALLOW_CONCURRENT;
  return flag !== undefined && flag !== '' && flag !== 'false' && flag !== '0';
}

/**
 * Creates the proxy's HTTP server (not yet listening). Tests run it in-process and pass their own
 * streams for the sentinels and a folder for the action's files; the container uses the process's
 * stdout and stderr and a fresh temporary folder.
 */
function createProxy({ stdout = process.stdout, stderr = process.stderr, workDir } = {}) {
  const streams = { stdout, stderr };
  let main = null;
  let initStarted = false;
  let serial = Promise.resolve(); // runs chain here unless concurrency is allowed

  async function init(body) {
    if (initStarted) return { status: 403, json: JSON.stringify({ error: 'Cannot initialize the action more than once.' }) };
    initStarted = true;
    const value = body && body.value;
    try {
      if (value && value.env && typeof value.env === 'object') {
        for (const [k, v] of Object.entries(value.env)) process.env[k] = envString(v);
      }
      main = action.load(value, workDir);
      return { status: 200, json: '{"OK":true}' };
    } catch (e) {
      initStarted = false;
      const message = e instanceof action.InitError ? e.message : `Initialization has failed due to: ${e && e.stack ? e.stack : e}`;
      console.error(message);
      await writeSentinels(streams);
      return { status: 502, json: JSON.stringify({ error: message }) };
    }
  }

  async function run(body) {
    if (!main) {
      await writeSentinels(streams);
      return { status: 500, json: JSON.stringify({ error: 'The action has not been initialized.' }) };
    }
    for (const [k, v] of Object.entries(body || {})) {
      if (k !== 'value') process.env[`__OW_${k.toUpperCase()}`] = envString(v);
    }
    const args = body && body.value !== undefined ? body.value : {};
    const outcome = await action.run(main, args);
    await writeSentinels(streams);
    return outcome;
  }

  function serialized(body) {
    if (concurrencyAllowed()) return run(body);
    const next = serial.then(() => run(body));
    serial = next.catch(() => undefined);
    return next;
  }

  const server = http.createServer((req, res) => {
    const route = req.method === 'POST' && (req.url === '/init' ? init : req.url === '/run' ? serialized : null);
    if (!route) {
      req.resume();
      send(res, 404, JSON.stringify({ error: `No route for ${req.method} ${req.url}.` }));
      return;
    }
    readJson(req)
      .then((body) => route(body), (e) => ({ status: 400, json: JSON.stringify({ error: `The request body is not JSON: ${e.message}` }) }))
      .then((outcome) => send(res, outcome.status, outcome.json))
      .catch((e) => send(res, 500, JSON.stringify({ error: `The action proxy failed: ${e}` })));
  });
  // The invoker keeps one connection per container across pauses; never close idle ones on our side.
  server.keepAliveTimeout = 0;
  return server;
}

if (require.main === module) {
  const port = Number(process.env.PORT || 8080);
  // As PID 1 of a container, node would ignore SIGTERM; stop at once so `podman stop` is quick.
  process.on('SIGTERM', () => process.exit(0));
  // An action's stray async error (a timer that throws, a promise nobody awaits) goes to its logs
  // instead of killing the container and every activation in it.
  process.on('uncaughtException', (e) => console.error('Uncaught exception in the action:', e));
  process.on('unhandledRejection', (e) => console.error('Unhandled rejection in the action:', e));
  // Says nothing on start: anything printed now would land in the first activation's logs.
  createProxy().listen(port);
}

module.exports = { createProxy, SENTINEL };
