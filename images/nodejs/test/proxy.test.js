'use strict';
// Fast unit tests of the nodejs action proxy, run in-process on the host's Node.js (no container).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const zip = require('../proxy/zip');
const action = require('../proxy/action');
const { createProxy, SENTINEL, SECRET_HEADER } = require('../proxy/server');
const { makeZip } = require('../../test/lib/zip-writer');

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgewhisk-proxy-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test.describe('zip', () => {
  test.it('extracts folders, deflated and stored files, executable bits and symlinks', (t) => {
    const dir = tempDir(t);
    const archive = makeZip([
      { name: 'lib/' },
      { name: 'lib/a.txt', data: 'alpha '.repeat(100) },
      { name: 'bin/run', data: '#!/bin/sh\necho hi\n', mode: 0o755 },
      { name: 'link', symlink: 'lib/a.txt' },
    ]);
    zip.extract(archive, dir);
    assert.equal(fs.readFileSync(path.join(dir, 'lib/a.txt'), 'utf8'), 'alpha '.repeat(100));
    assert.ok(fs.statSync(path.join(dir, 'bin/run')).mode & 0o100);
    assert.equal(fs.statSync(path.join(dir, 'lib/a.txt')).mode & 0o111, 0);
    assert.equal(fs.readlinkSync(path.join(dir, 'link')), 'lib/a.txt');
    zip.extract(makeZip([{ name: 's.txt', data: 'stored' }], { store: true }), dir);
    assert.equal(fs.readFileSync(path.join(dir, 's.txt'), 'utf8'), 'stored');
  });

  test.it('refuses entries that escape the target folder and data that is not a zip', (t) => {
    const dir = tempDir(t);
    assert.throws(() => zip.extract(makeZip([{ name: '../evil.txt', data: 'x' }]), dir), /outside/);
    assert.throws(() => zip.extract(Buffer.from('definitely not a zip archive at all'), dir), /not a zip/);
  });
});

test.describe('action.load', () => {
  test.it('finds module.exports.main, a top-level function and a configured main name', (t) => {
    assert.deepEqual(action.load({ code: 'module.exports.main = () => ({a: 1})' }, tempDir(t))(), { a: 1 });
    assert.deepEqual(action.load({ code: 'function main(p) { return {b: p.x} }' }, tempDir(t))({ x: 2 }), { b: 2 });
    assert.deepEqual(action.load({ code: 'function niam() { return {c: 3} }', main: 'niam' }, tempDir(t))(), { c: 3 });
    assert.deepEqual(action.load({ code: 'exports.go = () => ({d: 4}) // no newline', main: 'go' }, tempDir(t))(), { d: 4 });
  });

  test.it('reports syntax errors, missing main, missing code and errors thrown at load time', (t) => {
    assert.throws(() => action.load({ code: 'function main( {' }, tempDir(t)), (e) => e instanceof action.InitError && /SyntaxError/.test(e.message));
    assert.throws(() => action.load({ code: '// fine\nfunction main() {\n  return {;\n}' }, tempDir(t)), /SyntaxError: .*\(index\.js, line 3\)/);
    assert.throws(() => action.load({ code: 'function other() {}' }, tempDir(t)), /function 'main' not found/);
    assert.throws(() => action.load({ code: '' }, tempDir(t)), /Missing code/);
    assert.throws(() => action.load({ code: 'throw new Error("boom at load")' }, tempDir(t)), /boom at load/);
  });

  test.it('loads a zip honouring package.json main and node_modules', (t) => {
    const archive = makeZip([
      { name: 'package.json', data: JSON.stringify({ name: 'a', main: 'lib/entry.js' }) },
      { name: 'lib/entry.js', data: 'const g = require("greeter"); exports.main = (p) => ({msg: g(p.name)});' },
      { name: 'node_modules/greeter/package.json', data: JSON.stringify({ name: 'greeter', main: 'greet.js' }) },
      { name: 'node_modules/greeter/greet.js', data: 'module.exports = (n) => "hello " + n;' },
    ]);
    const main = action.load({ code: archive.toString('base64'), binary: true }, tempDir(t));
    assert.deepEqual(main({ name: 'zip' }), { msg: 'hello zip' });
  });

  test.it('explains a zip without an entry point', (t) => {
    const archive = makeZip([{ name: 'other.js', data: 'exports.main = () => ({})' }]);
    assert.throws(() => action.load({ code: archive.toString('base64'), binary: true }, tempDir(t)), /package.json.*index.js/);
  });
});

test.describe('action.run', () => {
  const quiet = (t) => t.mock.method(console, 'error', () => {});

  test.it('accepts objects, arrays, Promises and undefined, and passes {error} results as 200', async () => {
    assert.deepEqual(await action.run(() => ({ a: 1 }), {}), { status: 200, json: '{"a":1}' });
    assert.deepEqual(await action.run(() => [1, 2], {}), { status: 200, json: '[1,2]' });
    assert.deepEqual(await action.run(() => new Promise((r) => setTimeout(() => r({ p: true }), 5)), {}), { status: 200, json: '{"p":true}' });
    assert.deepEqual(await action.run(() => undefined, {}), { status: 200, json: '{}' });
    assert.deepEqual(await action.run(() => ({ error: 'app' }), {}), { status: 200, json: '{"error":"app"}' });
  });

  test.it('answers 502 for throws, rejections and results that are not objects', async (t) => {
    quiet(t);
    const thrown = await action.run(() => { throw new Error('thrown'); }, {});
    assert.equal(thrown.status, 502);
    assert.match(JSON.parse(thrown.json).error, /thrown/);
    const rejected = await action.run(() => Promise.reject(new Error('rejected')), {});
    assert.equal(rejected.status, 502);
    assert.match(JSON.parse(rejected.json).error, /rejected/);
    assert.deepEqual(await action.run(() => Promise.reject({ error: 'why' }), {}), { status: 502, json: '{"error":"why"}' });
    for (const value of ['text', 42, null, true]) {
      const outcome = await action.run(() => value, {});
      assert.equal(outcome.status, 502, `result ${value}`);
      assert.match(JSON.parse(outcome.json).error, /did not return a dictionary/);
    }
  });
});

test.describe('server', () => {
  let server;
  let port;
  let written;

  test.beforeEach(async (t) => {
    t.mock.method(console, 'error', () => {});
    written = { stdout: '', stderr: '' };
    const recorder = (name) => ({ write: (chunk, cb) => { written[name] += chunk; cb(); return true; } });
    server = createProxy({ stdout: recorder('stdout'), stderr: recorder('stderr'), workDir: tempDir(t), secret: 's3cret' });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  });

  test.afterEach(() => {
    server.close();
    // the proxies share this process's environment: no test's __OW_* values may reach the next
    for (const k of Object.keys(process.env)) if (k.startsWith('__OW_')) delete process.env[k];
  });

  function post(route, body, secret = 's3cret') {
    const headers = secret === null ? {} : { [SECRET_HEADER]: secret };
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: route, method: 'POST', agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  test.it('initializes once, exposes init env and __OW_* run env, and writes sentinels after a run', async () => {
    const code = 'function main(p) { return {p, key: process.env.__OW_API_KEY, ns: process.env.__OW_NAMESPACE, dl: process.env.__OW_DEADLINE, g: process.env.GREETING}; }';
    assert.deepEqual(await post('/init', { value: { code, env: { GREETING: 'hi' } } }), { status: 200, body: { OK: true } });
    assert.equal((await post('/init', { value: { code } })).status, 403);
    const res = await post('/run', { value: { x: 1 }, namespace: 'guest', api_key: 'k:s', deadline: 1234 });
    assert.deepEqual(res, { status: 200, body: { p: { x: 1 }, key: 'k:s', ns: 'guest', dl: '1234', g: 'hi' } });
    assert.equal(written.stdout, SENTINEL);
    assert.equal(written.stderr, SENTINEL);
  });

  test.it('answers a failed init with 502, sentinels, and lets a later init succeed', async () => {
    const failed = await post('/init', { value: { code: 'function main( {' } });
    assert.equal(failed.status, 502);
    assert.match(failed.body.error, /SyntaxError/);
    assert.equal(written.stdout, SENTINEL);
    assert.equal(written.stderr, SENTINEL);
    assert.equal((await post('/init', { value: { code: 'function main() { return {} }' } })).status, 200);
  });

  test.it('serves /init and /run only with the container\'s secret, and nothing else reaches the action', async () => {
    const code = 'let runs = 0; function main(p) { return {runs: ++runs}; }';
    for (const secret of [null, '', 'wrong', 's3cret-and-more']) {
      const init = await post('/init', { value: { code: 'function main() { return {planted: true} }' } }, secret);
      assert.equal(init.status, 403, `init with secret ${secret}`);
      assert.equal((await post('/run', { value: {} }, secret)).status, 403, `run with secret ${secret}`);
    }
    assert.equal(written.stdout, '', 'a refused request writes no sentinel');
    assert.deepEqual(await post('/init', { value: { code } }), { status: 200, body: { OK: true } }, 'nothing was planted');
    assert.deepEqual(await post('/run', { value: {} }), { status: 200, body: { runs: 1 } });
    assert.equal((await post('/run', { value: {} }, 'wrong')).status, 403);
    assert.deepEqual(await post('/run', { value: {} }), { status: 200, body: { runs: 2 } }, 'the refused run did not run');
  });

  test.it('keeps no __OW_* value of a run for the next one', async () => {
    const code = 'function main() { return {key: process.env.__OW_API_KEY || null, host: process.env.__OW_API_HOST || null, extra: process.env.__OW_EXTRA || null, ns: process.env.__OW_NAMESPACE}; }';
    assert.equal((await post('/init', { value: { code, env: { __OW_NAMESPACE: 'from-init' } } })).status, 200);
    const first = await post('/run', { value: {}, namespace: 'guest', api_key: 'guest:key', api_host: 'http://elsewhere', extra: 1 });
    assert.deepEqual(first.body, { key: 'guest:key', host: 'http://elsewhere', extra: '1', ns: 'guest' });
    const second = await post('/run', { value: {} });
    assert.deepEqual(second.body, { key: null, host: null, extra: null, ns: 'from-init' });
  });

  test.it('puts back the __OW_* values an action changed or removed in its run', async () => {
    const code = `function main() {
      const seen = {ns: process.env.__OW_NAMESPACE, key: process.env.__OW_API_KEY || null, host: process.env.__OW_API_HOST};
      process.env.__OW_NAMESPACE = 'changed'; delete process.env.__OW_API_KEY; delete process.env.__OW_API_HOST;
      return seen;
    }`;
    assert.equal((await post('/init', { value: { code, env: { __OW_API_HOST: 'http://init' } } })).status, 200);
    for (let i = 0; i < 2; i++) {
      const res = await post('/run', { value: {}, namespace: 'guest', api_key: 'k:s' });
      assert.deepEqual(res.body, { ns: 'guest', key: 'k:s', host: 'http://init' }, `run ${i}`);
    }
    assert.deepEqual((await post('/run', { value: {}, namespace: 'other' })).body, { ns: 'other', key: null, host: 'http://init' });
  });

  // Each run holds until `together` runs are in it at once (at most 5 s; 50 ms for 1), so a loaded machine
  // that starts the four requests far apart still sees them overlap when the proxy allows it.
  async function maxOverlap(together) {
    const code = `let now = 0, max = 0;
      async function main() {
        now++; max = Math.max(max, now);
        const until = Date.now() + (${together} > 1 ? 5000 : 50);
        do { await new Promise(r => setTimeout(r, 5)); } while (now < ${together} && Date.now() < until);
        await new Promise(r => setTimeout(r, 5));
        now--; return {max};
      }`;
    await post('/init', { value: { code } });
    const results = await Promise.all([1, 2, 3, 4].map(() => post('/run', { value: {} })));
    return Math.max(...results.map((r) => r.body.max));
  }

  test.it('runs one activation at a time by default', async () => {
    assert.equal(await maxOverlap(1), 1);
  });

  test.it('overlaps runs when __OW_ALLOW_CONCURRENT is set', async () => {
    process.env.__OW_ALLOW_CONCURRENT = 'true';
    assert.equal(await maxOverlap(4), 4);
  });
});
