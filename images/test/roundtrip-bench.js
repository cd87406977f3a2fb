'use strict';
// Measures the raw round trip of POST /run to a warm nodejs:18 action container on 127.0.0.1 with one
// keep-alive connection, sequentially: the floor under a warm invocation that the invoker is measured
// against. For comparison it measures a bare Node.js HTTP server in the same image (no action proxy).
//
// Usage: node images/test/roundtrip-bench.js [requests=2000]

const http = require('node:http');
const { startContainer } = require('./lib/containers');

const REQUESTS = Number(process.argv[2] || 2000);
const WARMUP = 300;
const IMAGE = 'localhost/edgewhisk/action-nodejs:latest';

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

async function measure(agent, port, route, body) {
  const data = Buffer.from(JSON.stringify(body));
  for (let i = 0; i < WARMUP; i++) await post(agent, port, route, data);
  const micros = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = process.hrtime.bigint();
    await post(agent, port, route, data);
    micros.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  micros.sort((a, b) => a - b);
  const at = (q) => micros[Math.min(micros.length - 1, Math.floor(q * micros.length))].toFixed(0);
  return `median ${at(0.5)} µs, p90 ${at(0.9)} µs, p99 ${at(0.99)} µs, ${(REQUESTS / seconds).toFixed(0)} requests/s`;
}

async function main() {
  const runBody = { value: { name: 'bench' }, namespace: 'guest', action_name: '/guest/echo', action_version: '0.0.1',
    activation_id: 'bench', transaction_id: 'bench', deadline: String(Date.now() + 600000), api_key: 'uuid:secret' };

  const proxy = await startContainer(IMAGE);
  try {
    const init = await proxy.init({ code: 'function main(args) { return args; }' });
    if (init.status !== 200) throw new Error(`init failed: ${init.text}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    console.log(`nodejs action proxy, POST /run (echo), ${REQUESTS} sequential requests: ${await measure(agent, proxy.port, '/run', runBody)}`);
    agent.destroy();
  } finally {
    await proxy.stop();
  }

  // The same image running a bare HTTP server: what the container and its port forwarding cost alone.
  const bare = await startContainer(IMAGE, { command: ['node', '-e',
    'require("http").createServer((q, s) => { q.resume(); q.on("end", () => { s.setHeader("Content-Type", "application/json"); s.end("{}"); }); }).listen(8080)'] });
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    console.log(`bare Node.js HTTP server in the same image, ${REQUESTS} sequential requests: ${await measure(agent, bare.port, '/run', runBody)}`);
    agent.destroy();
  } finally {
    await bare.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
