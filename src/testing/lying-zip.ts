/**
 * For tests: a zip whose two directories disagree, as a zip bomb hides itself. Read front to back by its
 * local headers it holds `visible` and a stored `padding.bin`; read by its central directory (as JSZip and
 * most readers do), the entry named `hidden.name` is `hidden.data` instead, whose local header and deflated
 * bytes sit inside padding.bin. A reader that checks one directory and a renderer that reads the other
 * see different files.
 */
import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';

interface Entry {
  name: string;
  data: Uint8Array;
  stored?: boolean;
}

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressed: Uint8Array;
  size: number;
  offset: number;
}

function localHeader(entry: Omit<Written, 'offset'>): Buffer {
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  head.writeUInt16LE(20, 4);
  head.writeUInt16LE(entry.method, 8);
  head.writeUInt32LE(entry.crc, 14);
  head.writeUInt32LE(entry.compressed.length, 18);
  head.writeUInt32LE(entry.size, 22);
  head.writeUInt16LE(entry.name.length, 26);
  return Buffer.concat([head, entry.name]);
}

function centralHeader(entry: Written): Buffer {
  const head = Buffer.alloc(46);
  head.writeUInt32LE(0x02014b50, 0);
  head.writeUInt16LE(20, 4);
  head.writeUInt16LE(20, 6);
  head.writeUInt16LE(entry.method, 10);
  head.writeUInt32LE(entry.crc, 16);
  head.writeUInt32LE(entry.compressed.length, 20);
  head.writeUInt32LE(entry.size, 24);
  head.writeUInt16LE(entry.name.length, 28);
  head.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([head, entry.name]);
}

const prepare = ({ name, data, stored }: Entry): Omit<Written, 'offset'> => ({
  name: Buffer.from(name),
  method: stored ? 0 : 8,
  crc: crc32(data),
  compressed: stored ? data : deflateSync(data),
  size: data.length,
});

export function lyingZip(visible: Record<string, Uint8Array>, hidden: { name: string; data: Uint8Array }): Buffer {
  const chunks: Buffer[] = [];
  let at = 0;
  const written: Written[] = [];
  for (const [name, data] of Object.entries(visible)) {
    const entry = { ...prepare({ name, data }), offset: at };
    const bytes = Buffer.concat([localHeader(entry), entry.compressed]);
    chunks.push(bytes);
    at += bytes.length;
    written.push(entry);
  }
  const secret = prepare(hidden);
  const smuggled = Buffer.concat([localHeader(secret), secret.compressed]);
  const padding = prepare({ name: 'padding.bin', data: smuggled, stored: true });
  const paddingHeader = localHeader(padding);
  chunks.push(paddingHeader, smuggled);
  const hiddenAt = at + paddingHeader.length;
  at += paddingHeader.length + smuggled.length;
  const listed = written.map((entry) =>
    entry.name.toString() === hidden.name ? { ...secret, offset: hiddenAt } : entry,
  );
  const directory = Buffer.concat(listed.map(centralHeader));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed.length, 8);
  end.writeUInt16LE(listed.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...chunks, directory, end]);
}
