'use strict'
// A user's program on the gateway with Apache OpenWhisk's own JavaScript client (the `openwhisk` npm
// package), against an action that came from the central cluster: it reads and invokes it, and is refused
// (409, OpenWhisk's error) when it tries to change or delete it. Prints one JSON line of facts for
// FleetE2EIT to check on its side.
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')

const ow = openwhisk({ apihost: process.env.EDGEWHISK_APIHOST, api_key: process.env.EDGEWHISK_AUTH, namespace: 'fleet' })
const facts = {}

async function refused (call, status) {
  let error
  try {
    await call
  } catch (e) {
    error = e
  }
  assert.ok(error, `expected HTTP ${status}, but the call succeeded`)
  assert.equal(error.statusCode, status, error.message)
  return error
}

async function main () {
  const action = await ow.actions.get({ name: 'hello' })
  assert.equal(action.namespace, 'fleet')
  facts.version = action.version
  const result = await ow.actions.invoke({ name: 'hello', blocking: true, result: true, params: { name: 'npm' } })
  facts.result = result
  const activation = await ow.actions.invoke({ name: 'hello', blocking: true, params: { name: 'npm' } })
  assert.equal(activation.response.success, true)
  facts.activationId = activation.activationId
  const update = await refused(ow.actions.update({ name: 'hello', action: 'function main() { return {}; }' }), 409)
  facts.updateError = update.error
  const remove = await refused(ow.actions.delete({ name: 'hello' }), 409)
  facts.deleteError = remove.error
  console.log(JSON.stringify(facts))
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : e)
  process.exit(1)
})
