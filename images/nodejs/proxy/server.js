'use strict';
// The action proxy of the nodejs:18 runtime: OpenWhisk's action container protocol on port 8080.
// POST /init loads the action once; POST /run calls its main with the arguments and answers with the
// result. After every run, and after a failed init, the end-of-activation sentinel goes to stdout and
// stderr so the invoker knows where this activation's logs end.

const http = require('node:http');
const crypto = require('node:crypto');
const action = require('./action');

const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n';
// The invoker hands each container a secret in this variable and sends it with every /init and /run in this
// header, so that nobody else (another action's code, say) can initialize or run this container.
const SECRET_ENV = 'EDGEWHISK_PROXY_SECRET';
const SECRET_HEADER = 'x-edgewhisk-proxy-secret';

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

/** The request carries the container's secret (compared in constant time), or no secret is set. */
function authorized(req, secret) {
  if (!secret) return true;
  const given = req.headers[SECRET_HEADER];
  if (typeof given !== 'string') return false;
  // hashes of equal length, so that timingSafeEqual can compare inputs of any length
  const digest = (s) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(secret));
}

/** The __OW_* variables now in the environment. */
function owEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('__OW_')));
}

/**
 * The __OW_* variables a run should see: those init left, with the run's own fields over them. Listing
 * the whole environment to find them (as owEnv does) costs more than the rest of a no-op run, so the
 * caller compares with what it set for the previous run instead.
 */
function runEnv(baseline, body) {
  const wanted = Object.assign({}, baseline);
  for (const [k, v] of Object.entries(body || {})) {
    if (k !== 'value') wanted[`__OW_${k.toUpperCase()}`] = envString(v);
  }
  return wanted;
}

/**
 * Sets the environment from the previous run's __OW_* variables to the next run's: removes those the
 * next does not have (no run's values outlive it) and writes those that differ, also where the action
 * itself changed one.
 */
function switchOwEnv(previous, next) {
  for (const k of Object.keys(previous)) {
    if (!(k in next)) delete process.env[k];
  }
  for (const [k, v] of Object.entries(next)) {
    if (process.env[k] !== v) process.env[k] = v;
  }
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
function createProxy({ stdout = process.stdout, stderr = process.stderr, workDir, secret } = {}) {
  const streams = { stdout, stderr };
  let main = null;
  let owBaseline = owEnv();
  let owSet = owBaseline; // the __OW_* variables as the last run (or init) left them
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
      owBaseline = owEnv();
      owSet = owBaseline;
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
    const wanted = runEnv(owBaseline, body);
    switchOwEnv(owSet, wanted);
    owSet = wanted;
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
    if (!authorized(req, secret)) {
      // nothing of this request reaches the action, its state or its logs
      req.resume();
      send(res, 403, JSON.stringify({ error: 'This container serves only the invoker that started it.' }));
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
  // The secret leaves the environment before any action code runs, so the action never sees it.
  const secret = process.env[SECRET_ENV];
  delete process.env[SECRET_ENV];
  // Says nothing on start: anything printed now would land in the first activation's logs.
  createProxy({ secret }).listen(port);
}

module.exports = { createProxy, SENTINEL, SECRET_HEADER };
