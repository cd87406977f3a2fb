'use strict';
// Measures the raw round trip of POST /run to a warm action container (nodejs:18 unless told) on 127.0.0.1 with one
// keep-alive connection, sequentially: the floor under a warm invocation that the invoker is measured
// against. For comparison it measures, interleaved, a bare Node.js HTTP server in the nodejs image.
//
// Usage: node images/test/roundtrip-bench.js [requests=2000] [nodejs|python]

const http = require('node:http');
const { startContainer } = require('./lib/containers');

const REQUESTS = Number(process.argv[2] || 2000);
const RUNTIME = process.argv[3] || 'nodejs';
const WARMUP = 300;
const NODEJS_IMAGE = 'localhost/edgewhisk/action-nodejs:latest';
const ECHO = {
  nodejs: { image: NODEJS_IMAGE, code: 'function main(args) { return args; }' },
  python: { image: 'localhost/edgewhisk/action-python:latest', code: 'def main(args):\n    return args\n' },
}[RUNTIME];

function post(agent, port, route, data) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: route, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': data.length } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function summary(micros, seconds) {
  micros.sort((a, b) => a - b);
  const at = (q) => micros[Math.min(micros.length - 1, Math.floor(q * micros.length))].toFixed(0);
  return `median ${at(0.5)} µs, p90 ${at(0.9)} µs, p99 ${at(0.99)} µs, ${(micros.length / seconds).toFixed(0)} requests/s`;
}

/**
 * Alternates blocks of requests between the targets, so that both see the same noise of a shared
 * machine, and returns each target's latencies (µs) and time spent.
 */
async function measure(targets, data) {
  for (const t of targets) for (let i = 0; i < WARMUP; i++) await post(t.agent, t.port, '/run', data);
  const block = 100;
  for (let done = 0; done < REQUESTS; done += block) {
    for (const t of targets) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < Math.min(block, REQUESTS - done); i++) {
        const t0 = process.hrtime.bigint();
        await post(t.agent, t.port, '/run', data);
        t.micros.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      t.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    }
  }
}

async function main() {
  const runBody = { value: { name: 'bench' }, namespace: 'guest', action_name: '/guest/echo', action_version: '0.0.1',
    activation_id: 'bench', transaction_id: 'bench', deadline: String(Date.now() + 600000), api_key: 'uuid:secret' };
  const containers = [];
  try {
    if (!ECHO) throw new Error(`unknown runtime ${RUNTIME} (nodejs or python)`);
    const proxy = await startContainer(ECHO.image);
    containers.push(proxy);
    const init = await proxy.init({ code: ECHO.code });
    if (init.status !== 200) throw new Error(`init failed: ${init.text}`);
    // The nodejs image running a bare HTTP server: what a container and its port forwarding cost alone.
    const bare = await startContainer(NODEJS_IMAGE, { command: ['node', '-e',
      'require("http").createServer((q, s) => { q.resume(); q.on("end", () => { s.setHeader("Content-Type", "application/json"); s.end("{}"); }); }).listen(8080)'] });
    containers.push(bare);
    const targets = [
      { label: `${RUNTIME} action proxy, POST /run of an echo action`, port: proxy.port },
      { label: 'bare Node.js HTTP server in the nodejs image', port: bare.port },
    ].map((t) => ({ ...t, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), micros: [], seconds: 0 }));
    await measure(targets, Buffer.from(JSON.stringify(runBody)));
    console.log(`${REQUESTS} sequential requests each, one keep-alive connection, 127.0.0.1:`);
    for (const t of targets) {
      console.log(`  ${t.label}: ${summary(t.micros, t.seconds)}`);
      t.agent.destroy();
    }
  } finally {
    for (const c of containers) await c.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
