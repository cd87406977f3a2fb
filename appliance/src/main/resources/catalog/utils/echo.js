// /whisk.system/utils/echo: answers with the parameters it was given, unchanged.
function main(params) {
  return params || {};
}
