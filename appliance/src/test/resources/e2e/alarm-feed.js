// Creates a trigger with the alarm feed through the openwhisk npm client, as `wsk trigger create --feed`
// does, lets it fire for a few seconds, then deletes the feed and the trigger. Prints a JSON summary.
const openwhisk = require('openwhisk');
const assert = require('node:assert');
const ow = openwhisk({ apihost: process.env.APIHOST, api_key: process.env.KEY, ignore_certs: true });
const sleep = ms => new Promise(r => setTimeout(r, ms));

(async () => {
  await ow.actions.create({ name: 'tick', action: 'function main(p) { return {tick: p.tick}; }', overwrite: true });
  await ow.triggers.create({ name: 'everysecond', overwrite: true });
  await ow.feeds.create({ name: '/whisk.system/alarms/alarm', trigger: 'everysecond',
    params: { cron: '* * * * * *', trigger_payload: { tick: 'yes' } } });
  await ow.rules.create({ name: 'ticking', action: 'tick', trigger: 'everysecond', overwrite: true });
  const read = await ow.feeds.get({ name: '/whisk.system/alarms/alarm', trigger: 'everysecond' });
  await sleep(4500);
  const acts = await ow.activations.list({ name: 'tick', limit: 50, docs: true });
  await ow.feeds.delete({ name: '/whisk.system/alarms/alarm', trigger: 'everysecond' });
  await ow.rules.delete({ name: 'ticking' });
  await ow.triggers.delete({ name: 'everysecond' });
  const ticks = acts.filter(a => a.response && a.response.result && a.response.result.tick === 'yes').length;
  assert.ok(ticks >= 2, `expected at least 2 fires in 4.5 s, saw ${ticks}`);
  console.log(JSON.stringify({ ticks, read }));
})().catch(e => { console.error(e && (e.stack || e.message || e)); process.exit(1); });
