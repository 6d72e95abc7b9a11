import { TabCommandError, TabRole, type TabCredentials, type TabMessage } from './messages.ts';

/** The machine-readable code of a thrown error (ApiError, TabCommandError), if it has one. */
function errorCode(error: unknown): string | null {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : null;
  return typeof code === 'string' ? code : null;
}

/** What the leader tab provides to the others. */
export interface TabsHandlers<S, C> {
  /** The leader's current state, sent to a tab that says hello. */
  snapshot(): S;
  /** The login held in the leader's memory, handed to followers so one of them can take over. */
  credentials(): TabCredentials | null;
  /** Runs a follower's command in the leader; a rejection goes back as its (plain-language) message. */
  execute(command: C): Promise<void>;
  /** Registers again: a tab that registered by mistake meanwhile has taken its binding back. */
  rebind(): void;
}

export interface TabsOptions {
  /** Web Locks (injectable for tests); navigator.locks by default. */
  locks?: LockManager;
  /** How long a follower waits for the leader to answer a command. */
  commandTimeoutMs?: number;
  /** How long a leader that logs out waits, after telling the others, before the lock goes free. */
  logoutGraceMs?: number;
  /** Where the leader notes itself (injectable for tests); localStorage by default. */
  storage?: HintStorage | null;
}

type HintStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage, or null where reading it throws (sandboxed frames, storage blocked). */
function localStorageOrNull(): HintStorage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One registration per browser: the tabs that share `key` (server and extension) elect a leader
 * with an exclusive Web Lock, which the browser frees the moment the leader's tab closes, so a
 * queued follower takes over at once. State and commands travel on a BroadcastChannel of the same
 * name, which reaches only same-origin pages. The only thing stored is the leader's random tab id
 * in localStorage (see `leaderKnown`); logins and state never are.
 *
 * Fires `role` (read `role`), `state` (CustomEvent with the leader's snapshot), `takeover`
 * (CustomEvent<TabCredentials>: this tab is now the leader and must register), `credentials`
 * (CustomEvent<TabCredentials>: a follower received the leader's login) and `logout`.
 */
export class TabsService<S, C> extends EventTarget {
  readonly #name: string;
  readonly #channel: BroadcastChannel;
  readonly #locks: LockManager;
  readonly #handlers: TabsHandlers<S, C>;
  readonly #timeoutMs: number;
  readonly #graceMs: number;
  readonly #pending = new Map<string, Pending>();
  readonly #tabId = Math.random().toString(36).slice(2);
  readonly #storage: HintStorage | null;
  #role: TabRole = TabRole.Alone;
  /** Frees the lock this tab holds as leader. */
  #release: (() => void) | null = null;
  /** A logged-out leader's lock, freed when the grace period ends. */
  #grace: { timer: ReturnType<typeof setTimeout>; release: () => void } | null = null;
  /** Cancels a follower's place in the queue for the lock. */
  #queue: AbortController | null = null;
  #credentials: TabCredentials | null = null;
  #nextId = 0;
  #closed = false;

  constructor(key: string, handlers: TabsHandlers<S, C>, options: TabsOptions = {}) {
    super();
    this.#name = `earshot-line:${key}`;
    this.#handlers = handlers;
    this.#locks = options.locks ?? navigator.locks;
    this.#timeoutMs = options.commandTimeoutMs ?? 10_000;
    this.#graceMs = options.logoutGraceMs ?? 100;
    this.#storage = options.storage === undefined ? localStorageOrNull() : options.storage;
    this.#channel = new BroadcastChannel(this.#name);
    this.#channel.onmessage = (event: MessageEvent<TabMessage<S, C>>) => {
      this.#handleMessage(event.data);
    };
  }

  /** What this tab is to the shared line. */
  get role(): TabRole {
    return this.#role;
  }

  /**
   * Whether a tab of this browser noted itself as this line's leader. Unlike the Web Lock (granted
   * only once the browser has opened the page's storage, tens of ms in a fresh profile) this is
   * known at once, so a login can register while the lock is decided when no tab leads. A hint
   * only: a crashed leader leaves it behind (the next leader overwrites it); when storage cannot
   * be read it answers true, the careful way.
   */
  get leaderKnown(): boolean {
    try {
      return !this.#storage || this.#storage.getItem(this.#name) !== null;
    } catch {
      return true;
    }
  }

  /** Notes (or clears, when this tab stops leading) the leader hint; storage may refuse. */
  #noteLeader(leading: boolean): void {
    try {
      if (leading) this.#storage?.setItem(this.#name, this.#tabId);
      else if (this.#storage?.getItem(this.#name) === this.#tabId) this.#storage.removeItem(this.#name);
    } catch {
      // Private mode or a sandboxed frame: logins then simply wait for the lock.
    }
  }

  /** Asks the leader, if there is one, for its state (answered with a `state` event). */
  hello(): void {
    this.#post({ type: 'hello' });
  }

  /**
   * Becomes the leader unless another tab is; true when this tab now holds the line. With `waitMs`,
   * waits that long for a lock that is held (by a tab leaving, or one that just logged out and
   * keeps it a moment) instead of giving up at once.
   */
  async claim(waitMs = 0): Promise<boolean> {
    if (this.#role === TabRole.Leader) return true;
    if (this.#reclaim()) return true;
    this.#stopFollowing();
    const granted = await this.#requestLock(waitMs);
    if (granted && this.#closed) {
      // Closed while the lock was on its way: let it go, nobody is here to lead.
      this.#release?.();
      this.#release = null;
      return false;
    }
    if (granted) this.#setRole(TabRole.Leader);
    return granted;
  }

  #requestLock(waitMs: number): Promise<boolean> {
    const signal = waitMs > 0 ? AbortSignal.timeout(waitMs) : null;
    const options: LockOptions = signal
      ? { mode: 'exclusive', signal }
      : { mode: 'exclusive', ifAvailable: true };
    return new Promise<boolean>((resolve, reject) => {
      this.#locks
        .request(this.#name, options, (lock) => {
          resolve(lock !== null);
          return lock ? this.#holdLock() : undefined;
        })
        .catch((error: unknown) => {
          if (signal?.aborted) resolve(false);
          else reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  }

  /** A leader that just logged out and logs in again keeps the lock it has not yet let go. */
  #reclaim(): boolean {
    const grace = this.#grace;
    if (!grace) return false;
    clearTimeout(grace.timer);
    this.#grace = null;
    this.#release = grace.release;
    this.#setRole(TabRole.Leader);
    return true;
  }

  #endGrace(): void {
    const grace = this.#grace;
    this.#grace = null;
    if (!grace) return;
    clearTimeout(grace.timer);
    grace.release();
  }

  #holdLock(): Promise<void> {
    return new Promise<void>((release) => {
      this.#release = release;
    });
  }

  /**
   * Mirrors the leader and queues for the lock, so this tab takes over when the leader's tab goes.
   * `credentials` (typed into this tab) serve until the leader hands over its own.
   */
  follow(credentials: TabCredentials | null = null): void {
    if (this.#role !== TabRole.Alone || this.#closed) return;
    this.#credentials = credentials;
    this.#setRole(TabRole.Follower);
    this.#post({ type: 'hello' });
    this.#post({ type: 'handover' });
    const queue = new AbortController();
    this.#queue = queue;
    this.#locks
      .request(this.#name, { mode: 'exclusive', signal: queue.signal }, () => this.#takeOver())
      // Aborted: this tab stopped following before its turn came.
      .catch(() => undefined);
  }

  #takeOver(): Promise<void> | undefined {
    this.#queue = null;
    const credentials = this.#credentials;
    if (this.#role !== TabRole.Follower || !credentials) {
      // Nothing to register with (or no longer following): let the lock go at once.
      this.#setRole(TabRole.Alone);
      return undefined;
    }
    this.#failPending('The tab that held the phone line was closed. Try again.');
    const held = this.#holdLock();
    this.#setRole(TabRole.Leader);
    this.dispatchEvent(new CustomEvent<TabCredentials>('takeover', { detail: credentials }));
    return held;
  }

  /** Leader: sends its (changed) login to the other tabs, which keep it in memory for a takeover. */
  shareCredentials(): void {
    const credentials = this.#handlers.credentials();
    if (this.#role === TabRole.Leader && credentials) this.#post({ type: 'credentials', credentials });
  }

  /** A tab that lost the lock after registering and took its binding back: the leader registers again. */
  rebind(): void {
    if (this.#role !== TabRole.Leader) this.#post({ type: 'rebind' });
  }

  /** Leader: sends its state to every other tab. */
  publish(state: S): void {
    if (this.#role === TabRole.Leader) this.#post({ type: 'state', state });
  }

  /** Follower: asks the leader to run `command`; rejects with a TabCommandError the agent can read. */
  send(command: C): Promise<void> {
    if (this.#role !== TabRole.Follower) {
      return Promise.reject(new TabCommandError('This tab is not connected to the phone line.'));
    }
    const id = `${this.#tabId}-${++this.#nextId}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TabCommandError('The tab that holds the phone line did not answer. Try again.'));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#post({ type: 'command', id, command });
    });
  }

  /**
   * Leaves the shared line. A leader lets the next tab take over; with `logout` it first tells every
   * tab the session is over, and waits a moment so no follower grabs the lock in between.
   */
  resign(logout = false): void {
    if (this.#role === TabRole.Leader) {
      if (logout) this.#post({ type: 'logout' });
      const release = this.#release ?? (() => undefined);
      this.#release = null;
      if (logout && !this.#closed) {
        this.#grace = { timer: setTimeout(() => this.#endGrace(), this.#graceMs), release };
      } else release();
    }
    this.#stopFollowing();
    this.#setRole(TabRole.Alone);
  }

  /** Resigns (handing over, not logging out) and closes the channel: the tab is going away. */
  close(): void {
    this.#closed = true;
    this.resign(false);
    this.#endGrace();
    this.#channel.close();
  }

  #stopFollowing(): void {
    this.#queue?.abort();
    this.#queue = null;
    this.#credentials = null;
    this.#failPending('This tab is no longer connected to the phone line.');
  }

  #failPending(message: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new TabCommandError(message));
      this.#pending.delete(id);
    }
  }

  #setRole(role: TabRole): void {
    if (role === this.#role) return;
    if (role === TabRole.Leader || this.#role === TabRole.Leader) this.#noteLeader(role === TabRole.Leader);
    this.#role = role;
    this.dispatchEvent(new Event('role'));
  }

  #post(message: TabMessage<S, C>): void {
    if (!this.#closed) this.#channel.postMessage(message);
  }

  #handleMessage(message: TabMessage<S, C>): void {
    if (this.#role === TabRole.Leader) this.#lead(message);
    else this.#listen(message);
  }

  /** What the leader answers. */
  #lead(message: TabMessage<S, C>): void {
    if (message.type === 'hello') this.#post({ type: 'state', state: this.#handlers.snapshot() });
    if (message.type === 'command') void this.#execute(message.id, message.command);
    if (message.type === 'handover') this.shareCredentials();
    if (message.type === 'rebind') this.#handlers.rebind();
  }

  /** What followers (and logged-out tabs watching the channel) hear. */
  #listen(message: TabMessage<S, C>): void {
    switch (message.type) {
      case 'state':
        this.dispatchEvent(new CustomEvent<S>('state', { detail: message.state }));
        return;
      case 'credentials':
        if (this.#role !== TabRole.Follower) return;
        this.#credentials = message.credentials;
        this.dispatchEvent(new CustomEvent<TabCredentials>('credentials', { detail: message.credentials }));
        return;
      case 'reply':
        this.#settle(message.id, message.error, message.code);
        return;
      case 'logout':
        if (this.#role !== TabRole.Follower) return;
        this.#stopFollowing();
        this.#setRole(TabRole.Alone);
        this.dispatchEvent(new Event('logout'));
        return;
      default:
    }
  }

  async #execute(id: string, command: C): Promise<void> {
    let error: string | null = null;
    let code: string | null = null;
    try {
      await this.#handlers.execute(command);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : 'Something went wrong. Try again.';
      code = errorCode(thrown);
    }
    this.#post({ type: 'reply', id, error, code });
  }

  #settle(id: string, error: string | null, code: string | null): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error === null) pending.resolve();
    else pending.reject(new TabCommandError(error, code));
  }
}
