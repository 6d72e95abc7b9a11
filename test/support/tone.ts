// Tones for audio tests: write a sine as a 16-bit mono wav, read a wav back, and measure how much
// of it is one frequency (Goertzel), so a test can say "the far end carried 1 kHz", not "not silent".
import { readFileSync, writeFileSync } from 'node:fs';

/** Mono audio as numbers in [-1, 1]. */
export interface Audio {
  sampleRate: number;
  samples: Float32Array;
}

export interface ToneOptions {
  /** Samples per second (default 8000, G.711's). */
  sampleRate?: number;
  seconds?: number;
  /** Peak amplitude in [0, 1] (default 0.5: about -6 dBFS); 0 writes silence. */
  amplitude?: number;
}

/** How much of a recording is one frequency. */
export interface ToneReport {
  /** Length of the recording. */
  seconds: number;
  /** RMS level of the whole recording in [0, 1]. */
  rms: number;
  /** Share of the recording's energy at the frequency (0..1; a pure tone there is about 1). */
  share: number;
  /** Seconds of blocks that are audible and mostly that frequency (share of the block > 0.5). */
  toneSeconds: number;
}

/** A sine of `frequencyHz`. */
export function sine(frequencyHz: number, options: ToneOptions = {}): Audio {
  const { sampleRate = 8000, seconds = 1, amplitude = 0.5 } = options;
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  const step = (2 * Math.PI * frequencyHz) / sampleRate;
  for (let i = 0; i < samples.length; i += 1) samples[i] = amplitude * Math.sin(step * i);
  return { sampleRate, samples };
}

/** The RIFF/WAVE bytes of `audio` as 16-bit PCM mono. */
export function encodeWav({ sampleRate, samples }: Audio): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((value, i) => {
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, value)) * 32767), i * 2);
  });
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(sampleRate, 24);
  head.writeUInt32LE(sampleRate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

/** Writes a sine of `frequencyHz` to `path` (16-bit mono wav). */
export function writeToneWav(path: string, frequencyHz: number, options: ToneOptions = {}): void {
  writeFileSync(path, encodeWav(sine(frequencyHz, options)));
}

interface Format {
  channels: number;
  sampleRate: number;
  bits: number;
}

function formatOf(bytes: Buffer, offset: number): Format {
  if (bytes.readUInt16LE(offset) !== 1) throw new Error('Only PCM wav files can be read');
  return {
    channels: bytes.readUInt16LE(offset + 2),
    sampleRate: bytes.readUInt32LE(offset + 4),
    bits: bytes.readUInt16LE(offset + 14),
  };
}

/**
 * Parses 16-bit PCM wav bytes, channels averaged to mono. A data chunk whose size was never
 * written (the writer was killed) runs to the end of the file.
 */
export function decodeWav(bytes: Buffer): Audio {
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE')
    throw new Error('Not a wav file');
  let format: Format | null = null;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') format = formatOf(bytes, offset + 8);
    if (id === 'data') {
      if (!format) throw new Error('wav data before its format');
      const end = size === 0 || offset + 8 + size > bytes.length ? bytes.length : offset + 8 + size;
      return pcm16(bytes.subarray(offset + 8, end), format);
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('wav file without data');
}

function pcm16(data: Buffer, { channels, sampleRate, bits }: Format): Audio {
  if (bits !== 16) throw new Error(`Only 16-bit wav files can be read, not ${String(bits)}-bit`);
  const frames = Math.floor(data.length / (2 * channels));
  const samples = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame += 1) {
    let sum = 0;
    for (let c = 0; c < channels; c += 1) sum += data.readInt16LE((frame * channels + c) * 2);
    samples[frame] = sum / channels / 32768;
  }
  return { sampleRate, samples };
}

/** Reads a 16-bit PCM wav file as mono audio. */
export function readWav(path: string): Audio {
  return decodeWav(readFileSync(path));
}

/** The part of `audio` from `fromSeconds` to `toSeconds` (default: the end); negative counts from the end. */
export function slice(audio: Audio, fromSeconds: number, toSeconds?: number): Audio {
  const at = (seconds: number) =>
    Math.round(
      (seconds < 0 ? audio.samples.length / audio.sampleRate + seconds : seconds) * audio.sampleRate,
    );
  const end = toSeconds === undefined ? audio.samples.length : at(toSeconds);
  return { sampleRate: audio.sampleRate, samples: audio.samples.slice(Math.max(0, at(fromSeconds)), end) };
}

/** |X(f)|² of `samples` at exactly `frequencyHz` (Goertzel; the frequency need not sit on a bin). */
export function goertzelPower(samples: Float32Array, sampleRate: number, frequencyHz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

const energy = (samples: Float32Array): number => samples.reduce((sum, x) => sum + x * x, 0);
/** Quieter than this (about -50 dBFS RMS) a block is silence, whatever its spectrum. */
const AUDIBLE_RMS = 0.003;

/**
 * How much of `audio` is `frequencyHz`, in blocks of `blockMs` (default 50 ms): per block the
 * tone's energy (2|X(f)|²/N) against the block's total energy.
 */
export function analyseTone(audio: Audio, frequencyHz: number, blockMs = 50): ToneReport {
  const { sampleRate, samples } = audio;
  const size = Math.max(1, Math.round((sampleRate * blockMs) / 1000));
  let toneEnergy = 0;
  let toneBlocks = 0;
  for (let start = 0; start + size <= samples.length; start += size) {
    const block = samples.subarray(start, start + size);
    const total = energy(block);
    const tone = Math.min(total, (2 * goertzelPower(block, sampleRate, frequencyHz)) / size);
    toneEnergy += tone;
    if (Math.sqrt(total / size) >= AUDIBLE_RMS && tone > 0.5 * total) toneBlocks += 1;
  }
  const total = energy(samples);
  return {
    seconds: samples.length / sampleRate,
    rms: samples.length ? Math.sqrt(total / samples.length) : 0,
    share: total > 0 ? toneEnergy / total : 0,
    toneSeconds: (toneBlocks * size) / sampleRate,
  };
}
