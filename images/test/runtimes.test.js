'use strict';
// Integration tests of the action runtime images through real Podman: each test starts a container
// of an image named in runtimes.json, speaks the action container protocol to it on 127.0.0.1 and reads
// its logs with `podman logs`.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startContainer, podman, SENTINEL, RUN_ID } = require('./lib/containers');
const { makeZip } = require('./lib/zip-writer');

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'runtimes.json'), 'utf8'));
const imageName = (i) => `${i.prefix}/${i.name}:${i.tag}`;
const NODEJS = imageName(manifest.runtimes.nodejs.find((r) => r.kind === 'nodejs:18').image);
const PYTHON = imageName(manifest.runtimes.python.find((r) => r.kind === 'python:3.11').image);
const SKELETON = imageName(manifest.blackboxes[0]);
const SENTINEL_LINE = `${SENTINEL}\n`;

/** Runs fn with a fresh container of the image, removed afterwards whatever happens. */
async function withContainer(image, fn, options) {
  const container = await startContainer(image, options);
  try {
    return await fn(container);
  } finally {
    await container.stop();
  }
}

const base64Zip = (entries) => makeZip(entries).toString('base64');

async function assertSentinelsAfterOneActivation(c, stdout, stderr) {
  const logs = await c.logsAfterSentinels(1);
  assert.equal(logs.stdout, stdout + SENTINEL_LINE);
  assert.equal(logs.stderr, stderr + SENTINEL_LINE);
}

/** Starts `n` runs at once; each reports how many runs were in progress at most while it ran. */
async function maxOverlap(c, n) {
  const results = await Promise.all(Array.from({ length: n }, () => c.run({})));
  for (const r of results) assert.equal(r.status, 200, r.text);
  return Math.max(...results.map((r) => r.body.max));
}

test.describe(`nodejs:18 (${NODEJS})`, () => {
  test.it('runs hello world and ends its logs with sentinels on stdout and stderr', () => withContainer(NODEJS, async (c) => {
    const code = 'function main(p) { console.log("hello log"); console.error("hello err"); return {payload: "Hello, " + p.name + "!"}; }';
    assert.deepEqual(await c.init({ name: 'hello', main: 'main', code, binary: false, env: {} }), { status: 200, body: { OK: true }, text: '{"OK":true}' });
    const res = await c.run({ name: 'World' });
    assert.deepEqual([res.status, res.body], [200, { payload: 'Hello, World!' }]);
    await assertSentinelsAfterOneActivation(c, 'hello log\n', 'hello err\n');
  }));

  test.it('passes arguments and exposes every activation field as __OW_* and the init env', () => withContainer(NODEJS, async (c) => {
    const code = `exports.main = (args) => ({ args, greeting: process.env.GREETING, apiHost: process.env.__OW_API_HOST,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('__OW_') && k !== '__OW_API_HOST')) });`;
    assert.equal((await c.init({ code, env: { GREETING: 'hola', __OW_API_HOST: 'http://127.0.0.1:3233' } })).status, 200);
    const res = await c.run({ a: 1, nested: { b: [true] } }, { deadline: '1700000000000' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.args, { a: 1, nested: { b: [true] } });
    assert.equal(res.body.greeting, 'hola');
    assert.equal(res.body.apiHost, 'http://127.0.0.1:3233');
    assert.deepEqual(res.body.env, {
      __OW_NAMESPACE: 'guest', __OW_ACTION_NAME: '/guest/test', __OW_ACTION_VERSION: '0.0.1', __OW_ACTIVATION_ID: 'a1b2c3',
      __OW_TRANSACTION_ID: 't1', __OW_DEADLINE: '1700000000000', __OW_API_KEY: 'uuid:secret',
    });
    const next = await c.run({}, { activation_id: 'd4e5f6' });
    assert.equal(next.body.env.__OW_ACTIVATION_ID, 'd4e5f6');
  }));

  test.it('refuses a second init with 403', () => withContainer(NODEJS, async (c) => {
    assert.equal((await c.init({ code: 'function main() { return {first: true}; }' })).status, 200);
    const again = await c.init({ code: 'function main() { return {second: true}; }' });
    assert.deepEqual([again.status, again.body], [403, { error: 'Cannot initialize the action more than once.' }]);
    assert.deepEqual((await c.run({})).body, { first: true });
  }));

  test.it('resolves Promises, returns arrays and passes an {error} result as a normal response', () => withContainer(NODEJS, async (c) => {
    const code = `function niam(p) {
      if (p.kind === 'promise') return new Promise((resolve) => setTimeout(() => resolve({ later: p.n * 2 }), 100));
      if (p.kind === 'array') return [1, 'two', { three: 3 }];
      return { error: 'application error' };
    }`;
    assert.equal((await c.init({ code, main: 'niam' })).status, 200);
    assert.deepEqual((await c.run({ kind: 'promise', n: 21 })).body, { later: 42 });
    assert.deepEqual((await c.run({ kind: 'array' })).body, [1, 'two', { three: 3 }]);
    assert.deepEqual(await c.run({ kind: 'error' }), { status: 200, body: { error: 'application error' }, text: '{"error":"application error"}' });
  }));

  test.it('answers 502 for a thrown error, a rejected Promise and a result that is not an object', () => withContainer(NODEJS, async (c) => {
    const code = `async function main(p) {
      if (p.kind === 'throw') throw new Error('thrown on purpose');
      if (p.kind === 'reject') return Promise.reject(new Error('rejected on purpose'));
      if (p.kind === 'string') return 'just a string';
      return { fine: true };
    }`;
    assert.equal((await c.init({ code })).status, 200);
    for (const [kind, message] of [['throw', /thrown on purpose/], ['reject', /rejected on purpose/], ['string', /did not return a dictionary/]]) {
      const res = await c.run({ kind });
      assert.equal(res.status, 502, kind);
      assert.match(res.body.error, message);
    }
    assert.deepEqual((await c.run({ kind: 'ok' })).body, { fine: true });
    const logs = await c.logsAfterSentinels(4);
    assert.equal(logs.stdout, SENTINEL_LINE.repeat(4));
    assert.match(logs.stderr, /thrown on purpose[\s\S]*XXX_THE_END[\s\S]*rejected on purpose/);
    assert.ok(logs.stderr.endsWith(SENTINEL_LINE));
  }));

  test.it('survives an action\'s stray asynchronous error', () => withContainer(NODEJS, async (c) => {
    const code = `function main(p) {
      if (p.stray) { setTimeout(() => { throw new Error('stray timer error'); }, 10); Promise.reject(new Error('stray rejection')); }
      return { ok: true };
    }`;
    assert.equal((await c.init({ code })).status, 200);
    assert.deepEqual((await c.run({ stray: true })).body, { ok: true });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual((await c.run({})).body, { ok: true });
    const logs = await c.logsAfterSentinels(2);
    assert.match(logs.stderr, /stray rejection/);
    assert.match(logs.stderr, /stray timer error/);
  }));

  test.it('answers a failed init with a helpful 502 and sentinels on both streams', () => withContainer(NODEJS, async (c) => {
    const syntax = await c.init({ code: 'function main( { return {}; }' });
    assert.equal(syntax.status, 502);
    assert.match(syntax.body.error, /SyntaxError/);
    const logs = await c.logsAfterSentinels(1);
    assert.ok(logs.stdout.endsWith(SENTINEL_LINE) && logs.stderr.endsWith(SENTINEL_LINE));
    const missing = await c.init({ code: 'function other() { return {}; }' });
    assert.equal(missing.status, 502);
    assert.match(missing.body.error, /function 'main' not found/);
  }));

  test.it('runs a zip whose package.json main requires a module from node_modules', () => withContainer(NODEJS, async (c) => {
    const code = base64Zip([
      { name: 'package.json', data: JSON.stringify({ name: 'zipped', main: 'lib/entry.js' }) },
      { name: 'lib/entry.js', data: 'const leftPad = require("left-pad-lite"); exports.main = (p) => ({ padded: leftPad(p.text, 8, ".") });' },
      { name: 'node_modules/left-pad-lite/package.json', data: JSON.stringify({ name: 'left-pad-lite', main: 'src/pad.js' }) },
      { name: 'node_modules/left-pad-lite/src/pad.js', data: 'module.exports = (s, n, ch) => ch.repeat(Math.max(0, n - s.length)) + s;' },
    ]);
    assert.deepEqual((await c.init({ code, binary: true })).body, { OK: true });
    assert.deepEqual((await c.run({ text: 'abc' })).body, { padded: '.....abc' });
  }));

  test.it('runs a zip with the default index.js', () => withContainer(NODEJS, async (c) => {
    const code = base64Zip([{ name: 'index.js', data: 'exports.main = () => ({ from: "index.js" });' }]);
    assert.equal((await c.init({ code, binary: true })).status, 200);
    assert.deepEqual((await c.run({})).body, { from: 'index.js' });
  }));

  const overlapCode = 'let now = 0, max = 0; async function main() { now++; max = Math.max(max, now); await new Promise(r => setTimeout(r, 200)); now--; return { max }; }';

  test.it('runs activations one at a time by default', () => withContainer(NODEJS, async (c) => {
    assert.equal((await c.init({ code: overlapCode })).status, 200);
    assert.equal(await maxOverlap(c, 4), 1);
  }));

  test.it('overlaps activations when __OW_ALLOW_CONCURRENT is set, each ending with its sentinels', () => withContainer(NODEJS, async (c) => {
    assert.equal((await c.init({ code: overlapCode, env: { __OW_ALLOW_CONCURRENT: 'true' } })).status, 200);
    const started = Date.now();
    assert.equal(await maxOverlap(c, 8), 8);
    assert.ok(Date.now() - started < 8 * 200, 'eight 200 ms runs overlapped');
    const logs = await c.logsAfterSentinels(8);
    assert.equal(logs.stdout, SENTINEL_LINE.repeat(8));
  }));
});

test.describe(`python:3.11 (${PYTHON})`, () => {
  test.it('runs hello world and ends its logs with sentinels on stdout and stderr', () => withContainer(PYTHON, async (c) => {
    const code = 'import sys\ndef main(args):\n    print("hello log")\n    print("hello err", file=sys.stderr)\n    return {"payload": "Hello, " + args["name"] + "!"}\n';
    assert.deepEqual((await c.init({ name: 'hello', main: 'main', code, binary: false, env: {} })).body, { OK: true });
    const res = await c.run({ name: 'World' });
    assert.deepEqual([res.status, res.body], [200, { payload: 'Hello, World!' }]);
    await assertSentinelsAfterOneActivation(c, 'hello log\n', 'hello err\n');
  }));

  test.it('passes arguments, __OW_* and the init env, refuses a second init, returns arrays', () => withContainer(PYTHON, async (c) => {
    const code = 'import os\ndef main(args):\n    if args.get("array"):\n        return [1, "two"]\n' +
      '    return {"args": args, "greeting": os.environ["GREETING"],\n' +
      '            "env": {k: v for k, v in os.environ.items() if k.startswith("__OW_")}}\n';
    assert.equal((await c.init({ code, env: { GREETING: 'hola' } })).status, 200);
    assert.equal((await c.init({ code })).status, 403);
    const res = await c.run({ a: 1 }, { deadline: '1700000000000' });
    assert.deepEqual(res.body, {
      args: { a: 1 }, greeting: 'hola',
      env: {
        __OW_NAMESPACE: 'guest', __OW_ACTION_NAME: '/guest/test', __OW_ACTION_VERSION: '0.0.1', __OW_ACTIVATION_ID: 'a1b2c3',
        __OW_TRANSACTION_ID: 't1', __OW_DEADLINE: '1700000000000', __OW_API_KEY: 'uuid:secret',
      },
    });
    assert.deepEqual((await c.run({ array: true })).body, [1, 'two']);
  }));

  test.it('answers 502 for an exception and a result that is not a dict, 200 for an {error} result', () => withContainer(PYTHON, async (c) => {
    const code = 'def main(args):\n    k = args["kind"]\n    if k == "raise":\n        raise RuntimeError("raised on purpose")\n' +
      '    if k == "string":\n        return "just a string"\n    return {"error": "application error"}\n';
    assert.equal((await c.init({ code })).status, 200);
    const raised = await c.run({ kind: 'raise' });
    assert.deepEqual([raised.status, raised.body], [502, { error: 'An error has occurred: RuntimeError: raised on purpose' }]);
    const string = await c.run({ kind: 'string' });
    assert.equal(string.status, 502);
    assert.match(string.body.error, /did not return a dictionary/);
    assert.deepEqual([(await c.run({ kind: 'app' })).status], [200]);
    const logs = await c.logsAfterSentinels(3);
    assert.match(logs.stderr, /Traceback[\s\S]*RuntimeError: raised on purpose\nXXX_THE_END/);
  }));

  test.it('answers a failed init with a helpful 502 and sentinels on both streams', () => withContainer(PYTHON, async (c) => {
    const res = await c.init({ code: 'def main(args:\n    return {}\n' });
    assert.equal(res.status, 502);
    assert.match(res.body.error, /SyntaxError/);
    const logs = await c.logsAfterSentinels(1);
    assert.ok(logs.stdout.endsWith(SENTINEL_LINE) && logs.stderr.endsWith(SENTINEL_LINE));
  }));

  test.it('runs a zip with __main__.py, a helper module and a virtualenv folder', () => withContainer(PYTHON, async (c) => {
    const code = base64Zip([
      { name: '__main__.py', data: 'import helper\nimport slugify_lite\ndef main(args):\n    return {"slug": slugify_lite.slug(helper.title(args))}\n' },
      { name: 'helper.py', data: 'def title(args):\n    return args.get("title", "untitled")\n' },
      { name: 'virtualenv/bin/activate_this.py', data: '# present in real virtualenvs; not needed by the runtime\n' },
      { name: 'virtualenv/lib/python3.11/site-packages/slugify_lite/__init__.py', data: 'def slug(s):\n    return "-".join(s.lower().split())\n' },
    ]);
    assert.deepEqual((await c.init({ code, binary: true })).body, { OK: true });
    assert.deepEqual((await c.run({ title: 'Hello Edge World' })).body, { slug: 'hello-edge-world' });
  }));
});

test.describe(`blackbox skeleton (${SKELETON})`, () => {
  const script = '#!/bin/sh\necho "script log line"\necho "script stderr line" >&2\n' +
    'printf \'{"args": %s, "activation": "%s", "ns": "%s"}\\n\' "$1" "$__OW_ACTIVATION_ID" "$__OW_NAMESPACE"\n';

  test.it('runs a shell script: argv[1] is the JSON value, __OW_* in its env, last stdout line is the result', () => withContainer(SKELETON, async (c) => {
    assert.deepEqual((await c.init({ code: script, binary: false })).body, { OK: true });
    const res = await c.run({ x: [1, 2] });
    assert.deepEqual([res.status, res.body], [200, { args: { x: [1, 2] }, activation: 'a1b2c3', ns: 'guest' }]);
    await assertSentinelsAfterOneActivation(c, 'script log line\n', 'script stderr line\n');
    assert.equal((await c.init({ code: script })).status, 403);
  }));

  test.it('runs a native binary from a zip', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgewhisk-native-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    let exec;
    try {
      execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, 'exec'), path.join(__dirname, 'fixtures', 'native-action.c')], { stdio: 'pipe' });
      exec = fs.readFileSync(path.join(dir, 'exec'));
      t.diagnostic('native action: a static C binary compiled with gcc -static');
    } catch (e) {
      // Without a C toolchain the same protocol path is exercised by a script with the same output.
      exec = '#!/bin/sh\necho "native log line"\necho "native stderr line" >&2\nprintf \'{"native": true, "args": %s, "activation": "%s"}\\n\' "$1" "$__OW_ACTIVATION_ID"\n';
      t.diagnostic(`native action: gcc -static unavailable (${e.message.split('\n')[0]}); used a shell script instead`);
    }
    await withContainer(SKELETON, async (c) => {
      assert.deepEqual((await c.init({ code: base64Zip([{ name: 'exec', data: exec, mode: 0o755 }]), binary: true })).body, { OK: true });
      const res = await c.run({ n: 7 }, { activation_id: 'native1' });
      assert.deepEqual([res.status, res.body], [200, { native: true, args: { n: 7 }, activation: 'native1' }]);
      await assertSentinelsAfterOneActivation(c, 'native log line\n', 'native stderr line\n');
    });
  });

  test.it('runs a user\'s image derived from the skeleton with its own /action/exec (init without code)', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgewhisk-own-image-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'my-action'), '#!/bin/sh\necho "own image log"\nprintf \'{"own": true, "args": %s}\\n\' "$1"\n');
    fs.writeFileSync(path.join(dir, 'Containerfile'),
      `FROM ${SKELETON}\nCOPY my-action /action/exec\nRUN chmod +x /action/exec\n`);
    const tag = `localhost/edgewhisk-images-test/own-action-${RUN_ID}:latest`;
    await podman('build', '--pull=never', '--label', `edgewhisk-images-test=${RUN_ID}`, '-t', tag, dir);
    t.after(() => podman('rmi', '-f', tag).catch(() => undefined));
    await withContainer(tag, async (c) => {
      assert.deepEqual((await c.init({})).body, { OK: true });
      const res = await c.run({ who: 'me' });
      assert.deepEqual([res.status, res.body], [200, { own: true, args: { who: 'me' } }]);
      await assertSentinelsAfterOneActivation(c, 'own image log\n', '');
    });
  });

  test.it('answers 502 when the last stdout line is not JSON, keeping the output as logs', () => withContainer(SKELETON, async (c) => {
    assert.equal((await c.init({ code: '#!/bin/sh\necho "some output"\necho "not json at all"\n' })).status, 200);
    const res = await c.run({});
    assert.deepEqual([res.status, res.body], [502, { error: 'The action did not return a dictionary or array.' }]);
    await assertSentinelsAfterOneActivation(c, 'some output\nnot json at all\n', '');
  }));

  test.it('answers a failed init with a helpful 502 and sentinels on both streams', () => withContainer(SKELETON, async (c) => {
    const res = await c.init({ code: 'echo this is not a script' });
    assert.equal(res.status, 502);
    assert.match(res.body.error, /#!/);
    const logs = await c.logsAfterSentinels(1);
    assert.ok(logs.stdout.endsWith(SENTINEL_LINE) && logs.stderr.endsWith(SENTINEL_LINE));
  }));
});

// The invoker gives every container a secret; EdgeWhisk's proxies serve /init and /run only to requests
// that carry it (so another action's code cannot plant code in a stem cell or run someone else's action),
// hide it from the action, and keep no __OW_* value of one run for the next.
const SECRET_CASES = [
  [NODEJS, 'exports.main = (a) => ({ seen: process.env.EDGEWHISK_PROXY_SECRET || null, key: process.env.__OW_API_KEY || null, host: process.env.__OW_API_HOST || null });', false],
  [PYTHON, 'import os\ndef main(a):\n    return {"seen": os.environ.get("EDGEWHISK_PROXY_SECRET"), "key": os.environ.get("__OW_API_KEY"), "host": os.environ.get("__OW_API_HOST")}\n', false],
  [SKELETON, '#!/bin/sh\nprintf \'{"seen": "%s", "key": "%s", "host": "%s"}\\n\' "$EDGEWHISK_PROXY_SECRET" "$__OW_API_KEY" "$__OW_API_HOST"\n', true],
];

test.describe('the container\'s secret and the __OW_* environment', () => {
  for (const [image, code, shell] of SECRET_CASES) {
    test.it(`${image}: refuses /init and /run without the secret, hides it, forgets each run's __OW_*`, () => withContainer(image, async (c) => {
      const planted = { code: shell ? '#!/bin/sh\necho \'{"planted": true}\'\n' : code.replace('seen', 'planted') };
      for (const wrong of [null, '', 'not-the-secret']) {
        const init = await c.init(planted, wrong);
        assert.deepEqual([init.status, init.body], [403, { error: 'This container serves only the invoker that started it.' }], `init with ${wrong}`);
        assert.equal((await c.run({}, {}, wrong)).status, 403, `run with ${wrong}`);
      }
      assert.deepEqual((await c.init({ code })).body, { OK: true }, 'nothing was planted before');
      const first = await c.run({}, { api_host: 'http://127.0.0.1:1' });
      const none = shell ? '' : null;
      assert.deepEqual(first.body, { seen: none, key: 'uuid:secret', host: 'http://127.0.0.1:1' });
      const second = await c.run({}, { api_key: undefined });
      assert.deepEqual(second.body, { seen: none, key: none, host: none }, 'no __OW_* value of the first run is left');
      assert.equal((await c.run({}, {}, 'not-the-secret')).status, 403);
      const logs = await c.logsAfterSentinels(2);
      assert.equal(logs.stdout, SENTINEL_LINE.repeat(2), 'refused requests leave nothing in the logs');
    }, { secret: `s-${RUN_ID}-${image.length}` }));
  }
});
