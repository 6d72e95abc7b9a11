#!/usr/bin/env node
// Declaration emit keeps the sources' `./x.ts` specifiers; published types point at `./x.js`
// so every TypeScript setup (not only allowImportingTsExtensions) resolves them.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function rewrite(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) rewrite(path);
    else if (entry.name.endsWith('.d.ts')) {
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.replace(/(from\s+['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2'));
    }
  }
}

rewrite(process.argv[2] ?? 'dist/types');
