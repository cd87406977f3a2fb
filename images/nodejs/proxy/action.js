'use strict';
// Turns the value of an /init request into the action's main function, and a call of that function
// into an outcome the HTTP layer can send: {status, json}: 200 with the result or 502 with {error}.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const zip = require('./zip');

/** An /init failure whose message is meant for the action's developer. */
class InitError extends Error {}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function mainName(value) {
  const name = value.main === undefined || value.main === null || value.main === '' ? 'main' : value.main;
  if (typeof name !== 'string') throw new InitError('The action\'s "main" must be a string.');
  return name;
}

/**
 * Plain source: evaluated like a CommonJS module, so both `module.exports.main = …` and a top-level
 * `function main` work; the function body returns the top-level binding of that name, if any.
 */
function loadSource(code, name, dir) {
  const filename = path.join(dir, 'index.js');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(filename, code); // so stack traces and require() of relative paths make sense
  const localMain = IDENTIFIER.test(name)
    ? `\n;return (typeof ${name} === 'function') ? ${name} : undefined;`
    : '\n;return undefined;';
  let compiled;
  try {
    compiled = vm.compileFunction(code + localMain,
      ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
  } catch (e) {
    // V8 puts the location of a syntax error on the first line of its stack: "<file>:<line>".
    const at = /:(\d+)\n/.exec(String(e.stack));
    const where = at ? ` (${path.basename(filename)}, line ${at[1]})` : '';
    throw new InitError(`Initialization has failed due to: ${e.name}: ${e.message}${where}`);
  }
  const module = { exports: {}, filename, id: filename };
  let topLevel;
  try {
    topLevel = compiled(module.exports, Module.createRequire(filename), module, filename, dir);
  } catch (e) {
    throw new InitError(`Initialization has failed due to: ${e && e.stack ? e.stack : e}`);
  }
  return pickMain(module.exports, name) || topLevel;
}

/** A zip: require() the folder, which honours package.json "main", index.js and node_modules. */
function loadZip(base64, name, dir) {
  try {
    zip.extract(Buffer.from(base64, 'base64'), dir);
  } catch (e) {
    throw new InitError(`Unable to unzip the action: ${e.message}`);
  }
  let entry;
  try {
    entry = require.resolve(dir);
  } catch (e) {
    throw new InitError('Zipped actions must contain either package.json with a "main" field or index.js at the top level.');
  }
  let exported;
  try {
    exported = require(entry);
  } catch (e) {
    throw new InitError(`Initialization has failed due to: ${e && e.stack ? e.stack : e}`);
  }
  return pickMain(exported, name);
}

function pickMain(exported, name) {
  if (exported && typeof exported[name] === 'function') return exported[name];
  if (typeof exported === 'function' && name === 'main') return exported;
  return undefined;
}

/**
 * Loads the action described by an /init value and returns its main function.
 * Throws InitError with a message for the developer when the code cannot be used.
 */
function load(value, workDir) {
  if (!value || typeof value !== 'object') throw new InitError('Missing the "value" of the /init request.');
  const name = mainName(value);
  if (typeof value.code !== 'string' || value.code.length === 0) {
    throw new InitError('Missing code: the action has no code to execute.');
  }
  const dir = workDir || fs.mkdtempSync(path.join(os.tmpdir(), 'action-'));
  const main = value.binary ? loadZip(value.code, name, dir) : loadSource(value.code, name, dir);
  if (typeof main !== 'function') {
    throw new InitError(`Initialization has failed due to: function '${name}' not found in the action's code.`);
  }
  return main;
}

function describeError(e) {
  if (e instanceof Error) return `An error has occurred: ${e}`;
  if (e && typeof e === 'object') return Object.prototype.hasOwnProperty.call(e, 'error') ? e.error : e;
  return e === undefined ? 'An error has occurred: undefined' : e;
}

/**
 * Calls main(args) and settles to the HTTP outcome. Objects and arrays (or Promises of them) are a
 * success, even {error: …}, which the invoker classifies; a throw, a rejection or a result of any
 * other type is a 502. An undefined result counts as {} (`return;`), as in OpenWhisk.
 */
async function run(main, args) {
  let result;
  try {
    result = await main(args);
  } catch (e) {
    console.error(e);
    return failure(describeError(e));
  }
  if (result === undefined) result = {};
  if (result === null || typeof result !== 'object') {
    const type = result === null ? 'null' : typeof result;
    console.error(`Result must be of type object but has type "${type}":`, result);
    return failure(`The action did not return a dictionary or array (it returned ${type}).`);
  }
  try {
    return { status: 200, json: JSON.stringify(result) };
  } catch (e) {
    return failure(`The action's result is not serializable to JSON: ${e.message}`);
  }
}

function failure(error) {
  return { status: 502, json: JSON.stringify({ error }) };
}

module.exports = { load, run, InitError };
