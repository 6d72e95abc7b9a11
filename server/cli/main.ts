import { parseArgs } from 'node:util';
import { ADMIN_ROLES, createAdmin, findAdminByUsername, type AdminRole } from '../admins/repository.ts';
import { loadConfig } from '../config.ts';
import { createExtension } from '../extensions/repository.ts';
import { setExtensionEnabled } from '../extensions/status.ts';
import { KamailioRegistrarClient } from '../kamailio/registrar-client.ts';
import { unsafeTextProblem } from '../security/unsafe-text.ts';
import { openCore, type Core } from '../services.ts';
import { readSecretFromStdin } from './stdin.ts';

const USAGE = `Usage: earshot <command>

  migrate                                   apply database migrations
  extension create <number> --name NAME     create an extension; prints a generated password once
        [--password-stdin] [--manual-dialing] [--call-recording] [--disabled]
  extension list                            list extensions (never secrets)
  extension disable <number>                disable: Kamailio refuses it and its devices are kicked
  extension enable <number>                 enable again
  admin create <username> [--role admin|viewer] --password-stdin
        (or --username NAME)                create an administrator (argon2id); role admin (default)
                                            may change everything, viewer may only read
  trunk seal-password                       read the SIP trunk's digest password from standard
                                            input; print it sealed for EARSHOT_TRUNK_PASSWORD

Configuration comes from the environment (see README: DATABASE_URL, EARSHOT_SIP_REALM, …).`;

async function setEnabled(core: Core, number: string | undefined, enabled: boolean): Promise<void> {
  if (!number) throw new Error(`extension ${enabled ? 'enable' : 'disable'} needs <number>.`);
  const registrar = new KamailioRegistrarClient(loadConfig().kamailioNodes);
  const result = await setExtensionEnabled(core.db.kysely, registrar, number, enabled);
  if (!result) throw new Error(`There is no extension ${number}.`);
  const kick = result.disconnect.kick;
  console.log(`Extension ${number} ${enabled ? 'enabled' : 'disabled'}.${kick ? ` ${kick.message}` : ''}`);
}

const isAdminRole = (value: unknown): value is AdminRole => ADMIN_ROLES.includes(value as AdminRole);

type Handler = (
  core: Core,
  positionals: string[],
  flags: Record<string, string | boolean | undefined>,
) => Promise<void>;

const COMMANDS: Record<string, Handler> = {
  migrate: () => {
    console.log('Database is up to date.');
    return Promise.resolve();
  },
  'extension create': async (core, [number], flags) => {
    if (!number || typeof flags.name !== 'string')
      throw new Error('extension create needs <number> and --name.');
    const password = flags['password-stdin'] ? await readSecretFromStdin() : undefined;
    const { extension, password: secret } = await createExtension(core.db.kysely, core.credentials, {
      number,
      name: flags.name,
      ...(password === undefined ? {} : { password }),
      manualDialing: flags['manual-dialing'] === true,
      callRecording: flags['call-recording'] === true,
      enabled: flags.disabled !== true,
    });
    console.log(`Created extension ${extension.number} (${extension.name}).`);
    if (password === undefined) console.log(`SIP password (shown once): ${secret}`);
  },
  'extension list': async (core) => {
    const rows = await core.db.kysely
      .selectFrom('extensions')
      .select(['number', 'name', 'enabled', 'manual_dialing'])
      .orderBy('number')
      .execute();
    for (const r of rows)
      console.log(
        `${r.number}\t${r.name}\t${r.enabled ? 'enabled' : 'disabled'}\tmanual dialing ${r.manual_dialing ? 'on' : 'off'}`,
      );
  },
  'extension disable': (core, [number]) => setEnabled(core, number, false),
  'extension enable': (core, [number]) => setEnabled(core, number, true),
  'admin create': async (core, [positional], flags) => {
    const username = typeof flags.username === 'string' ? flags.username : positional;
    const role = flags.role ?? 'admin';
    if (!username || !isAdminRole(role))
      throw new Error('admin create needs <username> (or --username) and --role admin|viewer.');
    if (!flags['password-stdin'])
      throw new Error('admin create reads the password from standard input: add --password-stdin.');
    if (await findAdminByUsername(core.db.kysely, username))
      throw new Error(`An administrator named "${username}" exists already.`);
    await createAdmin(core.db.kysely, { username, role, password: await readSecretFromStdin() });
    console.log(`Created ${role} "${username}".`);
  },
  'trunk seal-password': async (core) => {
    // Sealed with this data dir's key (or EARSHOT_SECRET_KEY): only this deployment can open it.
    console.log(core.credentials.box.seal(await readSecretFromStdin()));
  },
};

/** Names, usernames and numbers given on the command line follow the API's text rule. */
function checkArguments(positionals: readonly string[], flags: Record<string, unknown>): void {
  const given = [
    ...positionals.map((value) => ({ label: 'An argument', value })),
    ...Object.entries(flags).map(([name, value]) => ({ label: `--${name}`, value })),
  ];
  for (const { label, value } of given) {
    const problem = typeof value === 'string' ? unsafeTextProblem(value) : null;
    if (problem) throw new Error(`${label} ${problem}.`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'manual-dialing': { type: 'boolean' },
      'call-recording': { type: 'boolean' },
      disabled: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const key = [positionals[0], positionals[1]].filter(Boolean).join(' ');
  const command = COMMANDS[key] ?? COMMANDS[positionals[0] ?? ''];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  checkArguments(positionals, values);
  const rest = positionals.slice(COMMANDS[key] ? 2 : 1);
  // Sealing the trunk password must work while the trunk settings are still wrong (a plain password).
  const env =
    key === 'trunk seal-password'
      ? Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EARSHOT_TRUNK_')))
      : process.env;
  const core = await openCore(loadConfig(env));
  try {
    await command(core, rest, values);
    return 0;
  } finally {
    await core.db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`earshot: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
