'use strict';
// Runs action runtime images in real Podman containers for tests: each container publishes port 8080
// on a free port of 127.0.0.1, carries the label edgewhisk-images-test=<run id> (so test.sh can remove
// every container of its run, even after a crash) and is removed when the test stops it.

const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const http = require('node:http');

const run = promisify(execFile);
const RUN_ID = process.env.EDGEWHISK_IMAGES_TEST_RUN || `${process.pid}`;
const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX';
let counter = 0;

async function podman(...args) {
  const { stdout } = await run('podman', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

const SECRET_ENV = 'EDGEWHISK_PROXY_SECRET';
const SECRET_HEADER = 'X-EdgeWhisk-Proxy-Secret';

function request(agent, port, method, route, body, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request({
      host: '127.0.0.1', port, method, path: route, agent,
      headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...extraHeaders },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, body: json, text });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

class ActionContainer {
  constructor(name, port, secret) {
    this.name = name;
    this.port = port;
    this.secret = secret;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** Posts with the container's secret (as the invoker does), or with `secret` when given (null: none). */
  post(route, body, secret = this.secret) {
    return request(this.agent, this.port, 'POST', route, body, secret == null ? {} : { [SECRET_HEADER]: secret });
  }

  init(value, secret) {
    return this.post('/init', { value }, secret);
  }

  /** A /run with the activation fields the invoker sends; extra fields override them. */
  run(value, fields = {}, secret = undefined) {
    return this.post('/run', {
      value, namespace: 'guest', action_name: '/guest/test', action_version: '0.0.1',
      activation_id: 'a1b2c3', transaction_id: 't1', deadline: String(Date.now() + 60000), api_key: 'uuid:secret', ...fields,
    }, secret);
  }

  async logs() {
    const { stdout, stderr } = await run('podman', ['logs', this.name], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr };
  }

  /** Waits until both streams hold at least `count` sentinels (conmon writes logs asynchronously). */
  async logsAfterSentinels(count, timeoutMs = 5000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const logs = await this.logs();
      const seen = (s) => s.split(SENTINEL).length - 1;
      if ((seen(logs.stdout) >= count && seen(logs.stderr) >= count) || Date.now() > until) return logs;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop() {
    this.agent.destroy();
    await podman('rm', '-f', '-t', '0', this.name).catch(() => undefined);
  }
}

/**
 * Starts a container of the image (optionally with another command, or with a proxy secret that every
 * request then carries, as the invoker's do) and waits until it answers HTTP.
 */
async function startContainer(image, { env = {}, command = [], secret } = {}) {
  const name = `edgewhisk-images-test-${RUN_ID}-${++counter}`;
  const envArgs = Object.entries(secret ? { ...env, [SECRET_ENV]: secret } : env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await podman('run', '-d', '--rm', '--name', name, '--label', `edgewhisk-images-test=${RUN_ID}`,
    '-p', '127.0.0.1::8080', ...envArgs, image, ...command);
  const container = new ActionContainer(name, 0, secret);
  try {
    container.port = Number((await podman('port', name, '8080/tcp')).split(':').pop());
    const until = Date.now() + 15000;
    for (;;) {
      try {
        await request(undefined, container.port, 'GET', '/');
        return container;
      } catch (e) {
        if (Date.now() > until) throw new Error(`the proxy in ${name} did not answer: ${e.message}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    await container.stop();
    throw e;
  }
}

module.exports = { startContainer, podman, SENTINEL, RUN_ID };
