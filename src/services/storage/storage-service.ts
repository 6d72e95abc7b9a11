import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, type CallRecord, type EarshotDb, type Preferences } from './schema.ts';

/** How many calls the history keeps; older ones are dropped as new ones arrive. */
export const HISTORY_LIMIT = 1000;
const PREFERENCES_KEY = 'current';

const INSTANCE_ID_KEY = 'earshot:sip-instance-id';

/** Preferences of a browser that has none yet. */
function freshPreferences(): Preferences {
  return { extension: null, microphoneId: null, speakerId: null };
}

/**
 * This browser's SIP +sip.instance, so a reload replaces its binding instead of adding one. Kept in
 * localStorage, not IndexedDB: it is read synchronously, so registering never waits for IndexedDB
 * (opening it the first time takes tens of milliseconds). Where storage is blocked, one per page.
 */
function readInstanceId(): string {
  try {
    const stored = localStorage.getItem(INSTANCE_ID_KEY);
    if (stored) return stored;
    const fresh = crypto.randomUUID();
    localStorage.setItem(INSTANCE_ID_KEY, fresh);
    return fresh;
  } catch {
    return crypto.randomUUID();
  }
}

/** IndexedDB through idb: preferences and call history. Migrations live only in upgrade(). */
export class StorageService {
  #db: Promise<IDBPDatabase<EarshotDb>> | null = null;

  constructor(private readonly name = DB_NAME) {}

  /** Opens lazily and again after another tab (or a test) forced this connection closed. */
  #open(): Promise<IDBPDatabase<EarshotDb>> {
    this.#db ??= openDB<EarshotDb>(this.name, DB_VERSION, {
      blocking: (_current, _next, event) => {
        // Another tab wants to upgrade or delete the database: step aside, reopen on next use.
        (event.target as IDBDatabase).close();
        this.#db = null;
      },
      terminated: () => {
        this.#db = null;
      },
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          // Seeded in the upgrade transaction: the first login then needs no write before it registers.
          void db.createObjectStore('preferences').put(freshPreferences(), PREFERENCES_KEY);
          db.createObjectStore('calls', { keyPath: 'id' }).createIndex('startedAt', 'startedAt');
        }
      },
    });
    return this.#db;
  }

  /** Runs `work` on the open database; once more on a fresh connection if this one was closing. */
  async #use<T>(work: (db: IDBPDatabase<EarshotDb>) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#open());
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      this.#db = null;
      return work(await this.#open());
    }
  }

  /** This browser's SIP instance id (the same across reloads and tabs). */
  instanceId(): string {
    this.#instanceId ??= readInstanceId();
    return this.#instanceId;
  }

  #instanceId: string | null = null;

  /** The stored preferences, created (with a fresh instance id) on first use. */
  preferences(): Promise<Preferences> {
    return this.#use(async (db) => {
      const stored = await db.get('preferences', PREFERENCES_KEY);
      if (stored) return stored;
      const fresh = freshPreferences();
      await db.put('preferences', fresh, PREFERENCES_KEY);
      return fresh;
    });
  }

  /** Merges `patch` into the stored preferences. */
  async savePreferences(patch: Partial<Preferences>): Promise<Preferences> {
    const next = { ...(await this.preferences()), ...patch };
    await this.#use((db) => db.put('preferences', next, PREFERENCES_KEY));
    return next;
  }

  /** Adds a call and drops the oldest beyond HISTORY_LIMIT, in one transaction. */
  addCall(record: CallRecord): Promise<void> {
    return this.#use((db) => StorageService.#insertCapped(db, record));
  }

  static async #insertCapped(db: IDBPDatabase<EarshotDb>, record: CallRecord): Promise<void> {
    const tx = db.transaction('calls', 'readwrite');
    await tx.store.put(record);
    const excess = (await tx.store.count()) - HISTORY_LIMIT;
    let cursor = excess > 0 ? await tx.store.index('startedAt').openCursor() : null;
    for (let removed = 0; cursor && removed < excess; removed += 1) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  /** The call history, newest first. */
  calls(limit = HISTORY_LIMIT): Promise<CallRecord[]> {
    return this.#use(async (db) => {
      const records: CallRecord[] = [];
      let cursor = await db.transaction('calls').store.index('startedAt').openCursor(null, 'prev');
      while (cursor && records.length < limit) {
        records.push(cursor.value);
        cursor = await cursor.continue();
      }
      return records;
    });
  }

  /** Deletes the whole call history. */
  async clearCalls(): Promise<void> {
    await this.#use((db) => db.clear('calls'));
  }

  /** Closes the database (tests, page teardown). */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    (await db)?.close();
  }
}
