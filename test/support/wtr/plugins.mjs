// Dev-server plugins for web-test-runner (plain JS: the runner loads its config without a TS step).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const JSSIP_PATH = '/__earshot/jssip.js';

/** Serves JsSIP as one ES module bundled by esbuild once per run, and points `jssip` imports at it. */
export function jssipBundlePlugin() {
  let bundle;
  return {
    name: 'earshot-jssip-bundle',
    resolveImport({ source }) {
      return source === 'jssip' ? JSSIP_PATH : undefined;
    },
    async serve(context) {
      if (context.path !== JSSIP_PATH) return undefined;
      // esbuild turns CommonJS into a default export only; re-export JsSIP's names for `import * as JsSIP`.
      const names = [
        'C',
        'Exceptions',
        'Grammar',
        'Utils',
        'UA',
        'URI',
        'NameAddrHeader',
        'WebSocketInterface',
        'Socket',
        'debug',
        'name',
        'version',
      ];
      const entry =
        `import m from ${JSON.stringify(require.resolve('jssip'))};\n` +
        `export const { ${names.join(', ')} } = m;\nexport default m;\n`;
      bundle ??= await build({
        stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        define: { 'process.env.NODE_ENV': '"test"' },
      }).then((result) => result.outputFiles[0].text);
      return { body: bundle, type: 'js' };
    },
  };
}

/** Serves msw's service worker at the scope root, straight from node_modules. */
export function mswWorkerPlugin() {
  const workerFile = require.resolve('msw/mockServiceWorker.js');
  return {
    name: 'earshot-msw-worker',
    serve(context) {
      if (context.path !== '/mockServiceWorker.js') return undefined;
      return { body: readFileSync(workerFile, 'utf8'), type: 'js' };
    },
  };
}
