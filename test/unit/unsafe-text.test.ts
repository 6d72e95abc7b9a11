import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unsafeTextProblem, visibleText } from '../../server/security/unsafe-text.ts';

const REFUSED: Record<string, string> = {
  NUL: 'ad\u0000min',
  tab: 'a\tb',
  'line feed': 'two\nlines',
  'carriage return': 'a\rb',
  escape: 'a\u001b[31mred',
  DEL: 'a\u007fb',
  'C1 control': 'a\u0085b',
  'line separator': 'a\u2028b',
  'paragraph separator': 'a\u2029b',
  'right-to-left override': 'RT\u202EL',
  'left-to-right embedding': 'a\u202Ab',
  'pop directional formatting': 'a\u202Cb',
  'right-to-left isolate': 'a\u2067b',
  'pop directional isolate': 'a\u2069b',
  'lone high surrogate': 'a\uD800b',
  'lone low surrogate': 'a\uDC00',
};

const ACCEPTED: Record<string, string> = {
  'plain ASCII': 'Ada Agent',
  accents: 'Zoë Müller-Łukasiewicz',
  Arabic: 'عبد الله',
  Hebrew: 'דוד',
  'right-to-left mark': 'שלום\u200F 42',
  'left-to-right mark': 'a\u200Eb',
  'Arabic letter mark': 'a\u061Cb',
  emoji: 'Support 🎧',
  CJK: '客服中心',
  'symbols a password may hold': `p@ss-w0rd!"#$%&'()*+,./:;<=>?[\\]^_\`{|}~`,
  empty: '',
};

describe('refused characters', () => {
  for (const [name, text] of Object.entries(REFUSED))
    test(`refuses ${name}`, () => {
      assert.match(unsafeTextProblem(text) ?? '', /^contains /);
    });

  for (const [name, text] of Object.entries(ACCEPTED))
    test(`accepts ${name}`, () => {
      assert.equal(unsafeTextProblem(text), null);
    });

  test('says which kind of character it refused', () => {
    assert.match(unsafeTextProblem('a\u0000') ?? '', /control character/);
    assert.match(unsafeTextProblem('a\u202E') ?? '', /text-direction/);
    assert.match(unsafeTextProblem('a\uD800') ?? '', /not valid Unicode/);
  });

  test('visibleText writes refused characters as code points and shortens long text', () => {
    assert.equal(visibleText('ad\u0000min\u202E'), 'adU+0000minU+202E');
    assert.equal(visibleText('x'.repeat(50), 10), `${'x'.repeat(10)}…`);
    assert.equal(visibleText('Zoë 🎧'), 'Zoë 🎧');
  });
});
