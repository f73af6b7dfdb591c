import { crc32 } from 'node:zlib';

/** One entry of a stored (uncompressed) zip archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, ASCII. */
  readonly name: string;
  readonly data: Buffer;
}

function dosTime(date: Date): { time: number; date: number } {
  const y = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((y - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/**
 * A zip archive of stored entries (method 0, APPNOTE 6.3.x; no ZIP64: each entry and the whole
 * under 4 GiB, at most 65,535 entries), CRC-32 by zlib.crc32 (Node ≥ 20.15).
 */
export function storedZip(entries: readonly ZipEntry[], modified: Date): Buffer {
  const { time, date } = dosTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (!/^[\x21-\x7e]+(?:\/[\x21-\x7e]+)*$/.test(entry.name) || entry.name.includes('\\'))
      throw new Error(`zip entry name not ASCII: ${entry.name}`);
    const name = Buffer.from(entry.name, 'ascii');
    const crc = crc32(entry.data) >>> 0;
    const size = entry.data.length;
    if (size >= 0xffffffff) throw new Error('zip entry too large (no ZIP64)');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk start, internal attributes, external attributes: 0
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + size;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
