import { TabRole, type TabCredentials } from '../services/tabs/messages.ts';
import { TabsService, type TabsHandlers } from '../services/tabs/tabs-service.ts';
import { IDLE_LINE, type PhoneCommand, type PhoneLine, type PhoneSnapshot } from './phone-line.ts';

type PhoneTabs = TabsService<PhoneSnapshot, PhoneCommand>;

/** The channel and lock name for one extension on one server: other extensions never collide. */
export function lineKey(apiUrl: string, sipServer: string, extension: string): string {
  return `${apiUrl}|${sipServer}|${extension}`;
}

/**
 * Binds a phone controller's line to the other tabs of this browser: follows a leader that is
 * already logged in with the same extension, mirrors its snapshots into `line`, and hands the
 * controller a takeover (with the credentials the leader shared) when the leader's tab goes.
 */
export class LineSharing {
  #tabs: PhoneTabs | null = null;
  #key = '';
  /** The next snapshot is the first this follower sees. */
  #joining = false;

  constructor(
    private readonly line: PhoneLine,
    private readonly handlers: TabsHandlers<PhoneSnapshot, PhoneCommand>,
    private readonly onTakeover: (credentials: TabCredentials) => void,
    /** A follower received the leader's login (at joining, and after a password change). */
    private readonly onCredentials: (credentials: TabCredentials) => void = () => undefined,
  ) {}

  /** What this tab is to the shared line. */
  get role(): TabRole {
    return this.#tabs?.role ?? TabRole.Alone;
  }

  /** Listens on `key`'s channel (leaving any other) and asks whether a tab already leads it. */
  watch(key: string): PhoneTabs {
    if (this.#tabs && this.#key === key) return this.#tabs;
    this.#tabs?.close();
    const tabs = new TabsService<PhoneSnapshot, PhoneCommand>(key, this.handlers);
    tabs.addEventListener('state', (event) => {
      this.#handleState(tabs, (event as CustomEvent<PhoneSnapshot>).detail);
    });
    tabs.addEventListener('logout', () => {
      // A refusal stays on the login form here too, so the agent reads why.
      const last = this.line.registration;
      this.line.apply({
        ...IDLE_LINE,
        registration: last.status === 'failed' ? last : IDLE_LINE.registration,
      });
    });
    tabs.addEventListener('credentials', (event) => {
      this.onCredentials((event as CustomEvent<TabCredentials>).detail);
    });
    tabs.addEventListener('takeover', (event) => {
      this.onTakeover((event as CustomEvent<TabCredentials>).detail);
    });
    this.#tabs = tabs;
    this.#key = key;
    tabs.hello();
    return tabs;
  }

  /** Follows the tab that leads `key`; `credentials` typed here serve until the leader shares its own. */
  follow(key: string, credentials: TabCredentials | null): void {
    this.#joining = true;
    this.watch(key).follow(credentials);
  }

  #handleState(tabs: PhoneTabs, snapshot: PhoneSnapshot): void {
    if (tabs.role === TabRole.Alone) {
      // Another tab of this browser logged in with this extension: show its line here as well.
      if (!snapshot.active) return;
      this.#joining = true;
      tabs.follow();
    }
    this.line.apply(snapshot, this.#joining);
    this.#joining = false;
  }

  /** Leader: tells the other tabs the login changed (a new password). */
  shareCredentials(): void {
    this.#tabs?.shareCredentials();
  }

  /** Lost the lock after registering, and took the binding back: the leader registers again. */
  rebind(): void {
    this.#tabs?.rebind();
  }

  /** Leader: sends the line's state to the other tabs. */
  publish(snapshot: PhoneSnapshot): void {
    this.#tabs?.publish(snapshot);
  }

  /** Follower: has the leader run `command`. */
  send(command: PhoneCommand): Promise<void> {
    return this.#tabs?.send(command) ?? Promise.reject(new Error('You are not logged in.'));
  }

  /** Leader: ends the shared session (logout) or lets the next tab take over. */
  resign(logout: boolean): void {
    this.#tabs?.resign(logout);
  }

  /** The tab is going away: hand over and stop listening. */
  close(): void {
    this.#tabs?.close();
    this.#tabs = null;
    this.#key = '';
  }
}
