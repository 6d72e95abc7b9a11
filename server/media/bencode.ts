// Bencode, the encoding of rtpengine's ng control protocol: byte strings, integers, lists and
// dictionaries (keys sorted, as the format wants). Strings decode as UTF-8 text: ng carries SDP,
// call ids and flags, never binary data.

/** A bencoded value as this module reads and writes it. */
export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue };

/** Thrown for input that is not one well-formed bencoded value. */
export class BencodeError extends Error {
  constructor(message: string) {
    super(`Bencode: ${message}`);
    this.name = 'BencodeError';
  }
}

/** Encodes `value`; integers only (ng has no floats), dictionary keys in byte order. */
export function bencode(value: BencodeValue): Buffer {
  const parts: Buffer[] = [];
  const write = (item: BencodeValue): void => {
    if (typeof item === 'string') {
      const bytes = Buffer.from(item, 'utf8');
      parts.push(Buffer.from(`${String(bytes.length)}:`), bytes);
    } else if (typeof item === 'number') {
      if (!Number.isSafeInteger(item)) throw new BencodeError(`not an integer: ${String(item)}`);
      parts.push(Buffer.from(`i${String(item)}e`));
    } else if (Array.isArray(item)) {
      parts.push(Buffer.from('l'));
      item.forEach(write);
      parts.push(Buffer.from('e'));
    } else {
      parts.push(Buffer.from('d'));
      for (const key of Object.keys(item).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
        write(key);
        write(item[key] as BencodeValue);
      }
      parts.push(Buffer.from('e'));
    }
  };
  write(value);
  return Buffer.concat(parts);
}

/** Decodes exactly one value from `input` (nothing may follow it). */
export function bdecode(input: Buffer): BencodeValue {
  const { value, next } = decodeAt(input, 0, 0);
  if (next !== input.length) throw new BencodeError(`${String(input.length - next)} bytes after the value`);
  return value;
}

/** Nesting deeper than this is refused (a hostile or broken peer must not blow the stack). */
const MAX_DEPTH = 32;

function decodeAt(input: Buffer, at: number, depth: number): { value: BencodeValue; next: number } {
  if (depth > MAX_DEPTH) throw new BencodeError('nested too deeply');
  const lead = input[at];
  if (lead === undefined) throw new BencodeError('unexpected end');
  if (lead === 0x69 /* i */) {
    const end = input.indexOf(0x65 /* e */, at);
    const text = end === -1 ? '' : input.toString('latin1', at + 1, end);
    if (!/^-?\d+$/.test(text)) throw new BencodeError(`bad integer at ${String(at)}`);
    return { value: Number(text), next: end + 1 };
  }
  if (lead === 0x6c /* l */ || lead === 0x64 /* d */) return decodeContainer(input, at, depth, lead === 0x64);
  const colon = input.indexOf(0x3a /* : */, at);
  const lengthText = colon === -1 ? '' : input.toString('latin1', at, colon);
  if (!/^\d+$/.test(lengthText)) throw new BencodeError(`bad string length at ${String(at)}`);
  const end = colon + 1 + Number(lengthText);
  if (end > input.length) throw new BencodeError('string runs past the end');
  return { value: input.toString('utf8', colon + 1, end), next: end };
}

function decodeContainer(
  input: Buffer,
  at: number,
  depth: number,
  isDictionary: boolean,
): { value: BencodeValue; next: number } {
  const items: BencodeValue[] = [];
  let next = at + 1;
  while (input[next] !== 0x65 /* e */) {
    if (next >= input.length) throw new BencodeError('unterminated list or dictionary');
    const item = decodeAt(input, next, depth + 1);
    items.push(item.value);
    next = item.next;
  }
  if (!isDictionary) return { value: items, next: next + 1 };
  if (items.length % 2 !== 0) throw new BencodeError('dictionary with a key and no value');
  // No prototype: a key named __proto__ is data, not a way to change the object.
  const dictionary = Object.create(null) as Record<string, BencodeValue>;
  for (let i = 0; i < items.length; i += 2) {
    const key = items[i];
    if (typeof key !== 'string') throw new BencodeError('dictionary key is not a string');
    dictionary[key] = items[i + 1] as BencodeValue;
  }
  return { value: dictionary, next: next + 1 };
}
