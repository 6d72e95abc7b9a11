// `npm start`: the whole Earshot stack on this machine — database (migrated, demo extensions on
// first start), rtpengine (the media relay), coturn (TURN for agents behind NAT) and Kamailio as
// supervised child processes (restarted when they die, and gone when this process dies), the
// account service serving the API and the built web app. Ctrl-C or SIGTERM stops everything it started.
import { join } from 'node:path';
import { buildApp } from '../api/app.ts';
import { serveWebApp } from '../api/web-app.ts';
import { loadConfig, type Config } from '../config.ts';
import { KamailioProcess } from '../kamailio/launcher.ts';
import { startRegistrationWatcher } from '../extensions/registration-watcher.ts';
import { KamailioRegistrarClient } from '../kamailio/registrar-client.ts';
import { settingsFromConfig, type KamailioSettings } from '../kamailio/render.ts';
import type { NgClient } from '../media/ng-client.ts';
import { RtpengineProcess, rtpengineSettingsFromConfig } from '../media/rtpengine.ts';
import { openCore, type Core } from '../services.ts';
import { startPortal } from './portal.ts';
import { ensureDevCertificate } from './dev-certificate.ts';
import { Supervisor } from './supervisor.ts';
import { coturnProcess } from '../turn/coturn.ts';
import { turnSecret } from '../turn/credentials.ts';
import { DEMO_ADMIN, seedDemoAdmin, seedDemoExtensions } from './seed.ts';
import { buildWebApp } from './web-build.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const say = (line: string): void => {
  console.log(`[earshot] ${line}`);
};

const supervisorLog = (line: string): void => {
  console.error(`[earshot] ${line}`);
};

/** rtpengine under the supervisor, like Kamailio; resolves once its control socket answers. */
async function startRtpengine(config: Config): Promise<{ supervisor: Supervisor; ng: NgClient }> {
  const rtpengine = new RtpengineProcess({
    settings: rtpengineSettingsFromConfig(config),
    dataDir: join(config.dataDir, 'rtpengine'),
    // Calls come and go at notice level; only trouble is worth a line here.
    onLog: (line) => {
      if (/^(ERR|WARNING|CRIT|ALERT|EMERG)/.test(line)) console.error(`[rtpengine] ${line}`);
    },
    onNotice: say,
  });
  const supervisor = new Supervisor(rtpengine, { name: 'rtpengine', log: supervisorLog });
  await supervisor.start();
  return { supervisor, ng: rtpengine.ngClient() };
}

/** The stack's own coturn under the supervisor, when TURN is on without a site's TURN servers. */
async function startTurn(config: Config, core: Core): Promise<Supervisor | null> {
  const local = config.turn?.local;
  if (!config.turn || !local) return null;
  const coturn = coturnProcess(
    { ...local, secret: turnSecret(config.turn, core.credentials.box), realm: config.realm },
    {
      dataDir: join(config.dataDir, 'coturn'),
      onLog: (line) => {
        // Refused credentials (check_stun_auth) are the system working; the other two are expected here.
        const expected = /check_stun_auth|allow_loopback_peers|CHANGE_REQUEST/;
        if (/ERROR|WARNING/.test(line) && !expected.test(line)) console.error(`[coturn] ${line}`);
      },
      onNotice: say,
    },
  );
  const supervisor = new Supervisor(coturn, { name: 'coturn', log: supervisorLog });
  await supervisor.start();
  return supervisor;
}

/**
 * Kamailio's settings, with SIP over TLS for devices always on: the configured certificate, or a
 * self-signed development certificate in the data dir (made once, reused; said so either way).
 */
function kamailioSettings(config: Config, core: Core): Omit<KamailioSettings, 'runDir'> {
  // The launcher gives every start a fresh run dir under dataDir, so the one passed here is unused.
  const settings = settingsFromConfig(config, '', undefined, core.credentials.box);
  if (settings.sipTls) return settings;
  const dev = ensureDevCertificate(join(config.dataDir, 'tls'), [
    config.realm,
    config.sipListen,
    config.host,
  ]);
  say(
    dev.generated
      ? `No TLS certificate configured (EARSHOT_TLS_CERT, EARSHOT_TLS_KEY): made a self-signed development certificate for SIP over TLS: ${dev.cert}`
      : `SIP over TLS uses the self-signed development certificate ${dev.cert} (set EARSHOT_TLS_CERT and EARSHOT_TLS_KEY for a real one).`,
  );
  return { ...settings, sipTls: { port: config.sipTlsPort, cert: dev.cert, key: dev.key } };
}

/** Kamailio under the supervisor: restarted with backoff when it dies, gone when this process dies. */
async function startKamailio(config: Config, core: Core): Promise<Supervisor> {
  const kamailio = new KamailioProcess({
    settings: kamailioSettings(config, core),
    dataDir: join(config.dataDir, 'kamailio'),
    onLog: (line) => {
      if (/ERROR|CRITICAL|WARNING/.test(line)) console.error(`[kamailio] ${line}`);
    },
    onNotice: say,
  });
  const supervisor = new Supervisor(kamailio, { name: 'Kamailio', log: supervisorLog });
  await supervisor.start();
  return supervisor;
}

async function startService(config: Config, core: Core, rtpengine: NgClient) {
  const registrar = new KamailioRegistrarClient(config.kamailioNodes);
  const local = config.turn?.local;
  const app = await buildApp({
    config,
    db: core.db,
    registrar,
    rtpengine,
    ...(local ? { turn: { host: local.listen, port: local.port } } : {}),
    box: core.credentials.box,
  });
  await serveWebApp(app, config, buildWebApp(ROOT));
  // Keeps "last registered" current for the stale-registrations report.
  const watcher = startRegistrationWatcher({
    db: core.db.kysely,
    registrar,
    onError: (error) => {
      console.error(
        `[earshot] Registration poll failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  });
  app.addHook('onClose', () => watcher.stop());
  await app.listen({ host: config.host, port: config.apiPort });
  return app;
}

/** The trunk in one line (never its password). */
function trunkSummary({ trunk, dialCountry }: Config): string {
  if (!trunk) return 'none (outside numbers are refused: set EARSHOT_TRUNK_HOST)';
  const login = trunk.username ? `, digest login ${trunk.username}` : '';
  const country = dialCountry ? `, national numbers as ${dialCountry}` : '';
  return `${trunk.host}:${trunk.port} over ${trunk.transport}${login}, calls in from ${trunk.allowedIps.join(' ')}${country}`;
}

/** Where remote agents' browsers relay audio (never the secret). */
function turnSummary({ turn }: Config): string {
  if (!turn) return 'off (EARSHOT_TURN=off): agents behind NAT may get no audio';
  const ttl = `credentials minted per agent, valid ${String(turn.ttlSeconds / 60)} min`;
  return turn.local
    ? `coturn on ${turn.local.listen}:${String(turn.local.port)} (browsers use ${turn.urls.join(', ')}), ${ttl}`
    : `the site's TURN servers ${turn.urls.join(', ')}, ${ttl}`;
}

interface Welcome {
  demo: { number: string; name: string; password: string }[];
  adminPassword: string | null;
}

function printWelcome(config: Config, { demo, adminPassword }: Welcome): void {
  say(`Softphone:      http://${config.host}:${config.apiPort}/`);
  say(`Admin console:  http://${config.host}:${config.apiPort}/admin.html`);
  say(`API (OpenAPI):  http://${config.host}:${config.apiPort}/api/openapi.json`);
  say(`Widget:         http://${config.host}:${config.apiPort}/widget/earshot-softphone.js`);
  if (config.portalPort)
    say(
      `Example portal: http://${config.host}:${config.portalPort}/  (embeds the widget from another origin)`,
    );
  say(
    `SIP WebSocket:  ws://${config.sipListen}:${config.sipWsPort}   SIP UDP/TCP: ${config.sipListen}:${config.sipPort}   SIP TLS: ${config.sipListen}:${config.sipTlsPort}`,
  );
  const { media } = config;
  say(
    `Media relay:    rtpengine on ${media.addresses.join(', ')}, RTP ports ${String(media.portMin)}-${String(media.portMax)} (control 127.0.0.1:${String(media.ngPort)})`,
  );
  say(`TURN/STUN:      ${turnSummary(config)}`);
  say(`Database:       ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`);
  say(`SIP trunk:      ${trunkSummary(config)}`);
  if (demo.length) {
    say('Demo extensions (passwords are shown this once; only hashes are stored):');
    for (const d of demo) say(`  ${d.number}  ${d.password}   ${d.name}`);
  } else {
    say(
      'Extensions exist already; create more with: npm run earshot -- extension create <number> --name "<name>"',
    );
  }
  if (adminPassword)
    say(`Administrator:  ${DEMO_ADMIN} / ${adminPassword}   (shown this once; stored as argon2id)`);
  say('Press Ctrl-C to stop.');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const core = await openCore(config);
  const demo = await seedDemoExtensions(core);
  const adminPassword = await seedDemoAdmin(core);
  say('Starting rtpengine, coturn and Kamailio…');
  const media = await startRtpengine(config);
  const started: Supervisor[] = [media.supervisor];
  const undo = async (error: unknown): Promise<never> => {
    for (const s of started.reverse()) await s.stop();
    throw error;
  };
  const turn = await startTurn(config, core).catch(undo);
  if (turn) started.push(turn);
  const kamailio = await startKamailio(config, core).catch(undo);
  started.push(kamailio);
  const app = await startService(config, core, media.ng).catch(undo);
  const earshotUrl = `http://${config.host}:${config.apiPort}`;
  const portal = config.portalPort
    ? await startPortal(join(ROOT, 'examples', 'portal'), {
        host: config.host,
        port: config.portalPort,
        earshotUrl,
      })
    : null;
  printWelcome(config, { demo, adminPassword });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the account service, Kamailio, coturn and rtpengine…`);
    portal?.close();
    await app.close();
    await kamailio.stop();
    await turn?.stop();
    await media.supervisor.stop();
    media.ng.close();
    await core.db.close();
    say('Stopped.');
    // Idle keep-alive sockets (JSON-RPC fetches) would hold the process a few seconds longer.
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[earshot] Could not start: ${error instanceof Error ? error.message : String(error)}`);
  // Whatever did start (a listening socket, a timer) must not keep a failed start alive.
  process.exit(1);
});
