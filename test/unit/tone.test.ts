// The tone tools audio tests rely on: a written tone is found at its frequency and nowhere else.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { analyseTone, decodeWav, encodeWav, readWav, sine, slice, writeToneWav } from '../support/tone.ts';

void describe('tone tools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-tone-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  void test('a 440 Hz wav is 16-bit mono at 8 kHz and reads back as written', () => {
    const path = join(dir, 'a440.wav');
    writeToneWav(path, 440, { seconds: 2 });
    const bytes = readFileSync(path);
    assert.equal(bytes.length, 44 + 2 * 16_000);
    assert.deepEqual([bytes.readUInt16LE(22), bytes.readUInt32LE(24), bytes.readUInt16LE(34)], [1, 8000, 16]);
    const audio = readWav(path);
    assert.equal(audio.sampleRate, 8000);
    assert.equal(audio.samples.length, 16_000);
    assert.ok(Math.abs((audio.samples[10] ?? 0) - (sine(440).samples[10] ?? 0)) < 1e-4);
  });

  void test('a 440 Hz tone is detected at 440 Hz and not at 1000 Hz', () => {
    const audio = readWav(join(dir, 'a440.wav'));
    const at440 = analyseTone(audio, 440);
    const at1000 = analyseTone(audio, 1000);
    assert.ok(at440.share > 0.9, `440 Hz share ${at440.share}`);
    assert.ok(Math.abs(at440.toneSeconds - 2) < 0.01, `440 Hz for ${at440.toneSeconds} s`);
    assert.ok(at1000.share < 0.01, `1000 Hz share ${at1000.share}`);
    assert.equal(at1000.toneSeconds, 0);
    assert.ok(Math.abs(at440.rms - 0.5 / Math.SQRT2) < 0.01, `rms ${at440.rms}`);
  });

  void test('silence carries no tone', () => {
    const silence = sine(440, { amplitude: 0, seconds: 1 });
    assert.deepEqual(analyseTone(silence, 440), { seconds: 1, rms: 0, share: 0, toneSeconds: 0 });
  });

  void test('a quiet hiss is not a tone, and a tone under another one counts only where it leads', () => {
    const noise = sine(0, { seconds: 1 });
    noise.samples.forEach((_x, i) => (noise.samples[i] = (Math.random() - 0.5) * 0.001));
    assert.equal(analyseTone(noise, 440).toneSeconds, 0);
    const mix = sine(1000, { seconds: 1, amplitude: 0.5 });
    const low = sine(440, { seconds: 1, amplitude: 0.1 });
    mix.samples.forEach((x, i) => (mix.samples[i] = x + (low.samples[i] ?? 0)));
    assert.equal(analyseTone(mix, 440).toneSeconds, 0);
    assert.equal(analyseTone(mix, 1000).toneSeconds, 1);
  });

  void test('slice cuts by seconds, from the start or from the end', () => {
    const tone = sine(440, { seconds: 2 });
    assert.equal(slice(tone, 0.5, 1).samples.length, 4000);
    assert.equal(slice(tone, -0.25).samples.length, 2000);
    assert.equal(slice(tone, -0.25).samples[0], tone.samples[14_000]);
  });

  void test('a wav whose writer was killed (data size never written) still reads to its end', () => {
    const bytes = encodeWav(sine(1000, { seconds: 0.5 }));
    bytes.writeUInt32LE(0, 40);
    assert.equal(decodeWav(bytes).samples.length, 4000);
    assert.throws(() => decodeWav(Buffer.from('not a wav at all')), /Not a wav/);
  });
});
