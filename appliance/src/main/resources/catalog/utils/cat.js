// /whisk.system/utils/cat: joins the array `lines` with new lines into `payload`; other parameters are dropped.
function main(params) {
  const lines = params.lines || [];
  return { lines: lines, payload: lines.join('\n') };
}
