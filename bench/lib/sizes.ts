import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Raw and gzip (level 9) byte counts of some JavaScript. */
export interface Size {
  raw: number;
  gzip: number;
}

/** The raw and gzip-9 size of `code`. */
export const sizeOf = (code: Uint8Array): Size => ({
  raw: code.length,
  gzip: gzipSync(code, { level: 9 }).length,
});

/** Adds sizes up (several emitted files). */
export const sum = (sizes: Size[]): Size =>
  sizes.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });

/** JsSIP and nothing else, the way an integrator embedding it directly would ship it. */
export async function jssipAlone(): Promise<Size> {
  const result = await build({
    stdin: {
      contents: "import * as JsSIP from 'jssip';\nconsole.log(JsSIP.version);\n",
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the JsSIP baseline');
  return sizeOf(file.contents);
}
