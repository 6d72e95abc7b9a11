// The README's "Embed Earshot" tables and the committed custom-elements.json must both match what
// the analyzer reads from the component's JSDoc today: a renamed attribute or a new event that is
// not documented fails here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

interface Member {
  kind: string;
  name: string;
  attribute?: string;
  privacy?: string;
  static?: boolean;
}
interface Declaration {
  tagName?: string;
  attributes?: { name: string }[];
  events?: { name: string }[];
  members?: Member[];
  cssProperties?: { name: string }[];
  cssParts?: { name: string }[];
}
interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

function softphone(manifest: Manifest): Declaration {
  const found = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === 'earshot-softphone');
  assert.ok(found, 'custom-elements.json declares <earshot-softphone>');
  return found;
}

/** The README section between "## Embed Earshot" and the next "## " heading. */
function embedSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Embed Earshot');
  assert.ok(start >= 0, 'README has an "Embed Earshot" section');
  const end = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** First-column names of the markdown table whose header's first cell is `header`. */
function tableNames(section: string, header: string): string[] {
  const lines = section.split('\n');
  const top = lines.findIndex((line) => new RegExp(`^\\|\\s*${header}\\s*\\|`).test(line));
  assert.ok(top >= 0, `README has a table headed "${header}"`);
  const rows: string[] = [];
  for (const line of lines.slice(top + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[1]?.trim() ?? '';
    rows.push(/`([^`(]+)/.exec(cell)?.[1] ?? cell);
  }
  return rows.sort();
}

const sorted = (names: string[]) => [...names].sort();

describe('embedding documentation', () => {
  let fresh: Declaration;
  let committed: Declaration;
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-cem-'));
    // The analyzer resolves --outdir against the working directory.
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
        'analyze',
        '--outdir',
        relative(ROOT, dir),
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    fresh = softphone(JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8')) as Manifest);
    committed = softphone(JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')) as Manifest);
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('the committed custom-elements.json is up to date (npm run analyze)', () => {
    assert.deepEqual(committed, fresh);
  });

  test('the attribute table lists exactly the manifest attributes', () => {
    assert.deepEqual(
      tableNames(embedSection(), 'attribute'),
      sorted((fresh.attributes ?? []).map((a) => a.name)),
    );
  });

  test('the member table lists exactly the public methods and JS-only properties', () => {
    const publicMembers = (fresh.members ?? []).filter(
      (m) => !m.privacy && !m.static && !m.attribute && !m.name.startsWith('#'),
    );
    assert.deepEqual(tableNames(embedSection(), 'member'), sorted(publicMembers.map((m) => m.name)));
  });

  test('the event table lists exactly the events the element fires', () => {
    assert.deepEqual(tableNames(embedSection(), 'event'), sorted((fresh.events ?? []).map((e) => e.name)));
  });

  test('every CSS part and custom property is named in the section', () => {
    const section = embedSection();
    const named = [...(fresh.cssParts ?? []), ...(fresh.cssProperties ?? [])].map((c) => c.name);
    assert.ok(named.length > 0);
    for (const name of named) assert.ok(section.includes(`\`${name}\``), `README names ${name}`);
    const documented = [...section.matchAll(/`(--earshot-[a-z-]+)`/g)].map((m) => m[1]);
    assert.deepEqual(
      sorted([...new Set(documented)] as string[]),
      sorted((fresh.cssProperties ?? []).map((c) => c.name)),
    );
  });
});
