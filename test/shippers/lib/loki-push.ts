/**
 * Reads what a real Promtail pushes to Loki (`POST /loki/api/v1/push`, a snappy-compressed
 * protobuf `logproto.PushRequest`), so a stand-in endpoint can check every shipped record without
 * running a Loki. Only the parts a push uses are decoded: snappy's block format (no framing) and
 * the PushRequest → StreamAdapter (labels, entries) → EntryAdapter (timestamp, line) fields.
 */

export interface PushedEntry {
  labels: Record<string, string>;
  /** Nanoseconds since the epoch, as a decimal string (beyond a double's precision). */
  ns: string;
  line: string;
}

/** Snappy block decompression (github.com/google/snappy format_description.txt). */
export function snappyDecode(src: Uint8Array): Buffer {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = src[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        return result;
      }
      shift += 7;
    }
  };
  const out = Buffer.alloc(varint());
  let at = 0;
  const le = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      v += src[pos + i] * 2 ** (8 * i);
    }
    pos += n;
    return v;
  };
  const copy = (offset: number, length: number) => {
    if (offset === 0 || offset > at) {
      throw new Error(`snappy: copy offset ${offset} at ${at}`);
    }
    // Byte by byte: a copy may overlap the bytes it is producing (a run).
    for (let i = 0; i < length; i++, at++) {
      out[at] = out[at - offset];
    }
  };
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let length = tag >> 2;
      length = length < 60 ? length + 1 : le(length - 59) + 1;
      out.set(src.subarray(pos, pos + length), at);
      pos += length;
      at += length;
    } else if (kind === 1) {
      const length = ((tag >> 2) & 7) + 4;
      copy(((tag >> 5) << 8) | src[pos++], length);
    } else {
      copy(le(kind === 2 ? 2 : 4), (tag >> 2) + 1);
    }
  }
  if (at !== out.length) {
    throw new Error(`snappy: ${at} bytes decoded, header said ${out.length}`);
  }
  return out;
}

interface Field {
  no: number;
  /** The varint value, or the bytes of a length-delimited field. */
  value: bigint | Buffer;
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = BigInt(0);
    let shift = BigInt(0);
    for (;;) {
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        return result;
      }
      shift += BigInt(7);
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      out.push({ no, value: varint() });
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ no, value: buf.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
    } else {
      throw new Error(`protobuf: wire type ${wire} not expected in a push`);
    }
  }
  return out;
}

/** `{a="b", c="d"}` as Prometheus prints a label set (Go-quoted values). */
export function parseLabelSet(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels[m[1]] = JSON.parse(`"${m[2]}"`) as string;
  }
  return labels;
}

/** The entries of one push body as Promtail sends it (snappy-compressed protobuf). */
export function decodePush(body: Uint8Array): PushedEntry[] {
  const entries: PushedEntry[] = [];
  for (const stream of fields(snappyDecode(body)).filter((f) => f.no === 1)) {
    const parts = fields(stream.value as Buffer);
    const labels = parseLabelSet(String(parts.find((f) => f.no === 1)?.value ?? '{}'));
    for (const e of parts.filter((f) => f.no === 2)) {
      const entry = fields(e.value as Buffer);
      const ts = fields((entry.find((f) => f.no === 1)?.value as Buffer | undefined) ?? Buffer.alloc(0));
      const seconds = (ts.find((f) => f.no === 1)?.value as bigint | undefined) ?? BigInt(0);
      const nanos = (ts.find((f) => f.no === 2)?.value as bigint | undefined) ?? BigInt(0);
      const line = entry.find((f) => f.no === 2)?.value as Buffer | undefined;
      entries.push({
        labels,
        ns: String(seconds * BigInt(1_000_000_000) + nanos),
        line: line ? line.toString('utf8') : '',
      });
    }
  }
  return entries;
}
