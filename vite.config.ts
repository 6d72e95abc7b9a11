import { defineConfig, type Plugin } from 'vite';

const NOOP_DEBUG_ID = '\0earshot:noop-debug';

/**
 * JsSIP logs through the `debug` package (~2 KB min+gz with its `ms` dependency). It prints only
 * when `localStorage.debug` enables it and Earshot does not expose JsSIP debug logging, so the
 * production build swaps it for a no-op with the same surface (callable namespaces with `.log`,
 * `.enabled`, `.extend`; `enable`/`disable`/`enabled`; `.default` for JsSIP's Logger).
 * `vite` (dev) keeps the real package, so `localStorage.debug = 'JsSIP:*'` still works there.
 */
function noopDebug(): Plugin {
  const source = `function createDebug() {
  var log = function () {};
  log.enabled = false;
  log.log = function () {};
  log.extend = createDebug;
  log.destroy = function () {};
  return log;
}
createDebug.default = createDebug;
createDebug.enable = function () {};
createDebug.disable = function () { return ''; };
createDebug.enabled = function () { return false; };
module.exports = createDebug;
`;
  return {
    name: 'earshot:noop-debug',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id === 'debug' ? NOOP_DEBUG_ID : null),
    load: (id) => (id === NOOP_DEBUG_ID ? source : null),
  };
}

// The app page is built into dist/ and served by the account service (`npm start`); during
// development `vite` serves it with /api proxied to the account service.
export default defineConfig({
  plugins: [noopDebug()],
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    // One chunk, no dynamic imports: the modulepreload polyfill would never have work to do.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { app: 'index.html' },
      treeshake: {
        // JsSIP's `logger.debug/warn/error(...)` calls only feed the no-op `debug` above; marking
        // them pure drops their message strings (~3 KB gz). Arguments with side effects are kept.
        // This matches by name across the whole bundle: Earshot's own code must not name a
        // logger `logger` if its calls must survive the production build.
        manualPureFunctions: ['logger.debug', 'logger.warn', 'logger.error'],
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': `http://127.0.0.1:${process.env.EARSHOT_API_PORT ?? '8080'}` },
  },
});
