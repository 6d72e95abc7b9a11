import ts from 'typescript';
import type { Plugin } from 'vite';

const NOOP_DEBUG_ID = '\0earshot:noop-debug';

/**
 * JsSIP logs through the `debug` package (~2 KB min+gz with its `ms` dependency). It prints only
 * when `localStorage.debug` enables it and Earshot does not expose JsSIP debug logging, so the
 * production build swaps it for a no-op with the same surface (callable namespaces with `.log`,
 * `.enabled`, `.extend`; `enable`/`disable`/`enabled`; `.default` for JsSIP's Logger).
 * `vite` (dev) keeps the real package, so `localStorage.debug = 'JsSIP:*'` still works there.
 */
export function noopDebug(): Plugin {
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

const UNUSED_JSSIP_PARTS: Record<string, RegExp> = {
  './Subscriber': /jssip[\\/]lib[\\/]UA\.js$/,
  './Notifier': /jssip[\\/]lib[\\/]UA\.js$/,
  './Message': /jssip[\\/]lib[\\/]UA\.js$/,
  './Options': /jssip[\\/]lib[\\/]UA\.js$/,
  './RTCSession/Info': /jssip[\\/]lib[\\/]RTCSession\.js$/,
};
const UNUSED_JSSIP_ID = '\0earshot:jssip-unused';

/**
 * Earshot never sends SIP MESSAGE, OPTIONS, SUBSCRIBE/NOTIFY or INFO (other than DTMF), and JsSIP
 * answers incoming ones without those classes when nobody listens (OPTIONS 200, MESSAGE and
 * SUBSCRIBE 405), so the production build leaves the five classes out (~4 kB gz). The stand-in
 * refuses an in-dialog SUBSCRIBE with 405 and a non-DTMF INFO with 415, and throws if anything
 * tries to send with it.
 */
export function unusedJssipParts(): Plugin {
  const source = `const unused = () => { throw new Error('This JsSIP feature is not part of the Earshot build.'); };
module.exports = class UnusedJsSipPart {
  static init_incoming(request) { request.reply(405); }
  init_incoming(request) { request.reply(415); }
  send() { unused(); }
  subscribe() { unused(); }
};
`;
  return {
    name: 'earshot:unused-jssip-parts',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id, importer) => (UNUSED_JSSIP_PARTS[id]?.test(importer ?? '') ? UNUSED_JSSIP_ID : null),
    load: (id) => (id === UNUSED_JSSIP_ID ? source : null),
  };
}

const SMALL_EMITTER_ID = '\0earshot:small-event-emitter';

/**
 * JsSIP extends Node's EventEmitter through the `events` package (~2 kB min+gz). It only uses
 * on/once/removeListener/removeAllListeners/emit/listeners, so the production build gives it an
 * emitter with exactly those, with Node's semantics (listeners called on a copy, so removing
 * during an emit is safe; once-wrappers removable by the original; an unheard 'error' throws).
 * `vite` dev and the component tests keep the real package; the end-to-end tests run this one.
 */
export function smallEventEmitter(): Plugin {
  const source = `function EventEmitter() {}
var proto = EventEmitter.prototype;
function events(self) { return self._events || (self._events = Object.create(null)); }
proto.on = proto.addListener = function (name, listener) {
  var all = events(this);
  (all[name] || (all[name] = [])).push(listener);
  return this;
};
proto.once = function (name, listener) {
  var self = this;
  function once() {
    self.removeListener(name, once);
    return listener.apply(self, arguments);
  }
  once.listener = listener;
  return this.on(name, once);
};
proto.off = proto.removeListener = function (name, listener) {
  var all = events(this);
  var list = all[name] || [];
  for (var i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      list.splice(i, 1);
      break;
    }
  }
  if (!list.length) delete all[name];
  return this;
};
proto.removeAllListeners = function (name) {
  if (name === undefined) this._events = Object.create(null);
  else delete events(this)[name];
  return this;
};
proto.emit = function (name) {
  var list = events(this)[name];
  var args = Array.prototype.slice.call(arguments, 1);
  if (!list) {
    if (name === 'error') throw args[0] instanceof Error ? args[0] : new Error('Unhandled error event');
    return false;
  }
  list = list.slice();
  for (var i = 0; i < list.length; i++) list[i].apply(this, args);
  return true;
};
proto.listeners = function (name) {
  return (events(this)[name] || []).map(function (l) { return l.listener || l; });
};
proto.listenerCount = function (name) { return (events(this)[name] || []).length; };
proto.setMaxListeners = function () { return this; };
module.exports = EventEmitter;
module.exports.EventEmitter = EventEmitter;
`;
  return {
    name: 'earshot:small-event-emitter',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id, importer) => (id === 'events' && /jssip/.test(importer ?? '') ? SMALL_EMITTER_ID : null),
    load: (id) => (id === SMALL_EMITTER_ID ? source : null),
  };
}

/**
 * JsSIP's `logger.debug/warn/error(...)` calls only feed the no-op `debug` above; marking them pure
 * drops their message strings (~3 KB gz). Arguments with side effects are kept. This matches by
 * name across the whole bundle: Earshot's own code must not name a logger `logger` if its calls
 * must survive the production build.
 */
export const PURE_JSSIP_LOGGING = ['logger.debug', 'logger.warn', 'logger.error'];

const TEMPLATE_TAGS = new Set(['html', 'css', 'svg']);

function templateParts(node: ts.TemplateLiteral): ts.Node[] {
  return ts.isNoSubstitutionTemplateLiteral(node)
    ? [node]
    : [node.head, ...node.templateSpans.map((span) => span.literal)];
}

/** Static text ranges (between ` … ${ } … `) of every html`…`/css`…` template in a source file. */
function litTemplateRanges(code: string, fileName: string): { start: number; end: number; css: boolean }[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const ranges: { start: number; end: number; css: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      TEMPLATE_TAGS.has(node.tag.text)
    ) {
      for (const part of templateParts(node.template)) {
        // Skip the opening ` or } and the closing ` or ${.
        const closing = ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1;
        ranges.push({
          start: part.getStart(source) + 1,
          end: part.getEnd() - closing,
          css: node.tag.text === 'css',
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return ranges;
}

/**
 * Folds runs of white space (and CSS comments) inside Lit html`…`/css`…` templates of Earshot's
 * own sources into one space: rendering is unchanged (no <pre> in our templates) and the
 * bundle loses ~1 KB gz. Only src/ is touched: JsSIP's SIP strings keep every byte.
 */
export function minifyLitTemplates(): Plugin {
  return {
    name: 'earshot:minify-lit-templates',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(html|css)`/.test(code)) return null;
      let out = code;
      for (const { start, end, css } of litTemplateRanges(code, id).sort((a, b) => b.start - a.start)) {
        const text = out.slice(start, end);
        const folded = (css ? text.replace(/\/\*[\s\S]*?\*\//g, '') : text).replace(/\s+/g, ' ');
        out = out.slice(0, start) + folded + out.slice(end);
      }
      return { code: out, map: null };
    },
  };
}

/** The plugins of both softphone builds (app page and widget): what makes JsSIP and Lit smaller. */
export function softphonePlugins(): Plugin[] {
  return [noopDebug(), unusedJssipParts(), smallEventEmitter(), minifyLitTemplates()];
}
