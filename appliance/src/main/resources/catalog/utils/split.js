// /whisk.system/utils/split: splits `payload` (as a string) at each `separator`, or at line ends when none is given.
function main(params) {
  const separator = params.separator || /\r?\n/;
  const text = params.payload.toString();
  return { lines: text.split(separator), payload: params.payload };
}
