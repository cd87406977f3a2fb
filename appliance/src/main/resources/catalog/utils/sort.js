// /whisk.system/utils/sort: sorts the array `lines` (JavaScript's default order: as strings) and counts it.
function main(params) {
  const lines = params.lines || [];
  lines.sort();
  return { lines: lines, length: lines.length };
}
