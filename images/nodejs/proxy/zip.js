'use strict';
// A small zip reader for action archives, so the image needs no `unzip` binary and the same proxy
// works on an official node image passed as BASE. Handles stored and deflated entries, directories,
// executable bits and symbolic links (npm's node_modules/.bin); refuses Zip64 and paths that escape
// the target folder.

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function findEndOfCentralDirectory(buf) {
  // The record is 22 bytes plus a comment of at most 65535 bytes, so it sits near the end.
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  throw new Error('not a zip archive (no end of central directory record)');
}

/** Lists the entries of a zip archive held in memory. */
function listEntries(buf) {
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error('Zip64 archives are not supported');
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error('corrupt zip central directory');
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    entries.push({
      method: buf.readUInt16LE(offset + 10),
      compressedSize: buf.readUInt32LE(offset + 20),
      size: buf.readUInt32LE(offset + 24),
      madeBy: buf.readUInt8(offset + 5), // 3 = Unix: the high attribute bits are a file mode
      mode: buf.readUInt32LE(offset + 38) >>> 16,
      localHeader: buf.readUInt32LE(offset + 42),
      name: buf.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function entryData(buf, entry) {
  const at = entry.localHeader;
  if (buf.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error(`corrupt zip entry ${entry.name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const raw = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return zlib.inflateRawSync(raw);
  throw new Error(`zip entry ${entry.name} uses unsupported compression method ${entry.method}`);
}

/** Extracts a zip archive (a Buffer) into the folder dir, which is created if needed. */
function extract(buf, dir) {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true });
  for (const entry of listEntries(buf)) {
    const target = path.resolve(root, entry.name);
    if (target !== root && !target.startsWith(root + path.sep)) {
      throw new Error(`zip entry ${entry.name} points outside the action folder`);
    }
    if (entry.name.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const data = entryData(buf, entry);
    const unixMode = entry.madeBy === 3 ? entry.mode : 0;
    if ((unixMode & S_IFMT) === S_IFLNK) {
      fs.symlinkSync(data.toString('utf8'), target);
    } else {
      fs.writeFileSync(target, data, { mode: unixMode & 0o111 ? 0o755 : 0o644 });
    }
  }
}

module.exports = { extract, listEntries };
