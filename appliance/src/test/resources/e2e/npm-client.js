'use strict'
// Drives EdgeWhisk with Apache OpenWhisk's own JavaScript client (the `openwhisk` npm package), as a
// user's program would. Asserts with node:assert (a failure exits non-zero with the reason) and prints
// one JSON line of facts for NpmClientIT to check again on its side.
const assert = require('node:assert/strict')
const openwhisk = require('openwhisk')

// EDGEWHISK_IGNORE_CERTS=1 is `wsk -i`: a self-signed certificate is accepted unchecked (else Node checks it,
// e.g. against NODE_EXTRA_CA_CERTS)
const ow = openwhisk({
  apihost: process.env.EDGEWHISK_APIHOST,
  api_key: process.env.EDGEWHISK_AUTH,
  ignore_certs: process.env.EDGEWHISK_IGNORE_CERTS === '1'
})
const p = process.env.EDGEWHISK_PREFIX
const facts = {}

/** Awaits a call that must fail with this HTTP status; answers the client's error. */
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

async function sleep (ms) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** Polls activations.get until the record of an accepted activation is there. */
async function logsOf (activationId) {
  for (let i = 0; i < 300; i++) {
    const r = await record(activationId)
    if (r.logs.length > 0) return r.logs
    await sleep(100)
  }
  assert.fail(`no logs for ${activationId}`)
}

async function record (activationId) {
  for (let i = 0; i < 300; i++) {
    try {
      return await ow.activations.get({ name: activationId })
    } catch (e) {
      if (e.statusCode !== 404) throw e
    }
    await sleep(100)
  }
  assert.fail(`no record for ${activationId}`)
}

async function actions () {
  const name = `${p}-hello`
  const created = await ow.actions.create({
    name,
    action: 'function main(p) { console.log("hi " + p.name); return {greeting: (p.salute || "Hello") + " " + p.name} }',
    params: { salute: 'Hello' },
    annotations: { description: 'made by the npm client' }
  })
  assert.equal(created.name, name)
  assert.equal(created.version, '0.0.1')
  assert.match(created.exec.kind, /^nodejs:/)
  await refused(ow.actions.create({ name, action: 'function main() {}' }), 409)

  const got = await ow.actions.get({ name })
  assert.equal(got.name, name)
  assert.match(got.exec.code, /hi " \+ p\.name/)
  assert.deepEqual(got.parameters, [{ key: 'salute', value: 'Hello' }])
  assert.ok(got.annotations.some(a => a.key === 'description' && a.value === 'made by the npm client'))

  const updated = await ow.actions.update({
    name,
    action: 'function main(p) { console.log("hi " + p.name); return {greeting: p.salute + ", " + p.name} }',
    params: { salute: 'Howdy' }
  })
  assert.equal(updated.version, '0.0.2')
  assert.deepEqual((await ow.actions.get({ name })).parameters, [{ key: 'salute', value: 'Howdy' }])

  const listed = await ow.actions.list()
  assert.ok(listed.some(a => a.name === name), 'the action is listed')
  const count = await ow.actions.list({ count: true })
  assert.ok(count.actions >= 1, JSON.stringify(count))
  facts.actionVersion = updated.version
  facts.actionsCounted = count.actions

  // invoke: blocking, blocking result only, non-blocking, then the activation API
  const blocking = await ow.actions.invoke({ name, blocking: true, params: { name: 'Ada' } })
  assert.equal(blocking.response.status, 'success')
  assert.equal(blocking.response.success, true)
  assert.deepEqual(blocking.response.result, { greeting: 'Howdy, Ada' })
  assert.equal(blocking.name, name)
  assert.equal(blocking.version, '0.0.2')
  // the blocking answer comes as soon as the action answered, as OpenWhisk's does (its invoker's active
  // ack); the logs are in the stored record
  const blockingLogs = await logsOf(blocking.activationId)
  assert.ok(blockingLogs.some(l => l.endsWith('stdout: hi Ada')), JSON.stringify(blockingLogs))

  const result = await ow.actions.invoke({ name, blocking: true, result: true, params: { name: 'Bob' } })
  assert.deepEqual(result, { greeting: 'Howdy, Bob' })

  const accepted = await ow.actions.invoke({ name, params: { name: 'Cy' } })
  assert.match(accepted.activationId, /^[0-9a-f]{32}$/)
  assert.equal(Object.keys(accepted).length, 1, JSON.stringify(accepted))
  const later = await record(accepted.activationId)
  assert.equal(later.activationId, accepted.activationId)
  assert.deepEqual(later.response.result, { greeting: 'Howdy, Cy' })
  assert.equal(later.response.statusCode, 0)
  assert.ok(later.duration >= 0 && later.end >= later.start, JSON.stringify(later))

  const logs = await ow.activations.logs({ name: accepted.activationId })
  assert.ok(logs.logs.some(l => l.endsWith('stdout: hi Cy')), JSON.stringify(logs))
  const res = await ow.activations.result({ name: accepted.activationId })
  assert.deepEqual(res.result, { greeting: 'Howdy, Cy' })
  assert.equal(res.success, true)
  const mine = await ow.activations.list({ name, limit: 10 })
  assert.ok(mine.some(a => a.activationId === accepted.activationId), 'listed by name')
  assert.ok(mine.every(a => a.name === name))
  // a blocking activation's record is stored just after its answer (as in OpenWhisk): poll for it
  let counted
  for (let i = 0; i < 50; i++) {
    counted = await ow.activations.list({ name, count: true })
    if (counted.activations === 3) break
    await sleep(100)
  }
  assert.equal(counted.activations, 3, JSON.stringify(counted))
  facts.blockingActivationId = blocking.activationId
  facts.nonBlockingActivationId = accepted.activationId
  facts.activationsOfAction = counted.activations

  // an application error: blocking invoke rejects with 502 and carries the record
  const failing = `${p}-failing`
  await ow.actions.create({ name: failing, action: 'function main() { return {error: "bad input"} }' })
  const err = await refused(ow.actions.invoke({ name: failing, blocking: true }), 502)
  assert.equal(err.error.response.status, 'application error')
  assert.deepEqual(err.error.response.result, { error: 'bad input' })
  assert.match(err.message, /bad input/)

  await ow.actions.delete({ name: failing })
  const deleted = await ow.actions.delete({ name })
  assert.equal(deleted.name, name)
  await refused(ow.actions.get({ name }), 404)
  await refused(ow.actions.invoke({ name, blocking: true }), 404)
}

async function packages () {
  const pkg = `${p}-pkg`
  const bound = `${p}-bound`
  const created = await ow.packages.create({ name: pkg, package: { parameters: [{ key: 'who', value: 'package' }, { key: 'shade', value: 'package' }] } })
  assert.equal(created.name, pkg)
  await ow.actions.create({ name: `${pkg}/echo`, action: 'function main(p) { return {who: p.who, shade: p.shade, extra: p.extra} }' })

  const got = await ow.packages.get({ name: pkg })
  assert.deepEqual(got.actions.map(a => a.name), ['echo'])
  const updated = await ow.packages.update({ name: pkg, package: { parameters: [{ key: 'who', value: 'package' }, { key: 'shade', value: 'updated' }] } })
  assert.equal(updated.version, '0.0.2')

  const binding = await ow.packages.create({
    name: bound,
    package: { binding: { namespace: '_', name: pkg }, parameters: [{ key: 'who', value: 'binding' }] }
  })
  assert.equal(binding.name, bound)
  const gotBinding = await ow.packages.get({ name: bound })
  assert.equal(gotBinding.binding.name, pkg)
  assert.ok(gotBinding.binding.namespace, JSON.stringify(gotBinding.binding))

  const listed = await ow.packages.list()
  const names = listed.map(x => x.name)
  assert.ok(names.includes(pkg) && names.includes(bound), JSON.stringify(names))

  // an action reached through the binding gets the binding's parameters over the package's
  const out = await ow.actions.invoke({ name: `${bound}/echo`, blocking: true, result: true, params: { extra: 1 } })
  assert.deepEqual(out, { who: 'binding', shade: 'updated', extra: 1 })
  facts.throughBinding = out

  await refused(ow.packages.delete({ name: pkg }), 409) // it still holds an action
  await ow.packages.delete({ name: bound })
  await ow.actions.delete({ name: `${pkg}/echo` })
  await ow.packages.delete({ name: pkg })
  await refused(ow.packages.get({ name: pkg }), 404)
}

async function triggersAndRules () {
  const trigger = `${p}-trigger`
  const rule = `${p}-rule`
  const action = `${p}-ruled`
  await ow.actions.create({ name: action, action: 'function main(p) { return {seen: p.temp, by: p.source} }' })
  const t = await ow.triggers.create({ name: trigger, trigger: { parameters: [{ key: 'source', value: 'trigger' }] } })
  assert.equal(t.name, trigger)
  const tu = await ow.triggers.update({ name: trigger, trigger: { parameters: [{ key: 'source', value: 'updated trigger' }] } })
  assert.equal(tu.version, '0.0.2')
  assert.ok((await ow.triggers.list()).some(x => x.name === trigger))

  const r = await ow.rules.create({ name: rule, trigger, action })
  assert.equal(r.name, rule)
  assert.equal(r.status, 'active')
  const gotRule = await ow.rules.get({ name: rule })
  assert.equal(gotRule.trigger.name, trigger)
  assert.equal(gotRule.action.name, action)
  assert.ok((await ow.rules.list()).some(x => x.name === rule))
  const gotTrigger = await ow.triggers.get({ name: trigger })
  assert.ok(Object.keys(gotTrigger.rules).some(k => k.endsWith('/' + rule)), JSON.stringify(gotTrigger.rules))

  // a fire answers the trigger's activation id; the rule's action runs with the merged parameters
  const fired = await ow.triggers.invoke({ name: trigger, params: { temp: 21 } })
  assert.match(fired.activationId, /^[0-9a-f]{32}$/)
  const triggerRecord = await record(fired.activationId)
  assert.equal(triggerRecord.name, trigger)
  let ran
  for (let i = 0; i < 300 && !ran; i++) {
    const list = await ow.activations.list({ name: action, docs: true })
    ran = list.find(a => a.response && a.response.result && a.response.result.seen === 21)
    if (!ran) await sleep(100)
  }
  assert.ok(ran, 'the rule ran its action')
  assert.deepEqual(ran.response.result, { seen: 21, by: 'updated trigger' })
  facts.ruleResult = ran.response.result

  const disabled = await ow.rules.disable({ name: rule })
  assert.ok(disabled)
  assert.equal((await ow.rules.get({ name: rule })).status, 'inactive')
  await ow.rules.enable({ name: rule })
  assert.equal((await ow.rules.get({ name: rule })).status, 'active')

  await ow.rules.delete({ name: rule })
  await refused(ow.rules.get({ name: rule }), 404)
  await ow.triggers.delete({ name: trigger })
  await refused(ow.triggers.get({ name: trigger }), 404)
  await ow.actions.delete({ name: action })
}

async function main () {
  await actions()
  await packages()
  await triggersAndRules()
  console.log(JSON.stringify(facts))
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : e)
  if (e && e.error) console.error(JSON.stringify(e.error))
  process.exit(1)
})
