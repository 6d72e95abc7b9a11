/** Thrown when a Kamailio node answers a JSON-RPC call with an error object. */
export class KamailioRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`Kamailio RPC ${method} failed (${code}): ${message}`);
    this.name = 'KamailioRpcError';
  }
}

/** One contact as usrloc's `ul.lookup` prints it (Kamailio 5.6 field names). */
export interface UlContact {
  Address: string;
  Expires: number | string;
  'Call-ID'?: string;
  'User-Agent'?: string;
  Received?: string;
  Socket?: string;
  Instance?: string;
  'Tcpconn-Id'?: number;
  'Last-Modified'?: number;
  Ruid?: string;
}

/** One WebSocket connection as `ws.dump` lists it. */
export interface WsConnection {
  id: number;
  /** The client's end, e.g. `ws:127.0.0.1:34008`. */
  src: string;
  /** Kamailio's end. */
  dst: string;
  state: string;
}

/** ws.dump prints each connection as a line: `2: ws:1.2.3.4:34008 -> ws:5.6.7.8:8088 (state: OPEN, …)`. */
export function parseWsConnection(line: string): WsConnection | null {
  const match = /^(\d+): (\S+) -> (\S+) \(state: (\w+)/.exec(line);
  if (!match) return null;
  return { id: Number(match[1]), src: match[2] ?? '', dst: match[3] ?? '', state: match[4] ?? '' };
}

interface RpcAnswer {
  result?: unknown;
  error?: { code: number; message: string };
}

// usrloc answers a missing AOR with 500 "AOR not found…", htable with 500 "Key name doesn't exist…".
const isNotFound = (error: unknown): boolean =>
  error instanceof KamailioRpcError && (error.code === 404 || /not found|doesn't exist/i.test(error.message));

/** A JSON-RPC client for one Kamailio node's jsonrpcs-over-HTTP endpoint. */
export class KamailioRpc {
  #nextId = 1;

  constructor(
    readonly url: string,
    readonly timeoutMs = 2000,
  ) {}

  /** Calls `method` with positional params; throws KamailioRpcError on an RPC error, or the fetch error. */
  async call(method: string, params: (string | number)[] = []): Promise<unknown> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method, params, id: this.#nextId++ }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const answer = (await response.json()) as RpcAnswer;
    if (answer.error) throw new KamailioRpcError(method, answer.error.code, answer.error.message);
    return answer.result;
  }

  /** `core.version`: the server's version string (used as the readiness probe). */
  async coreVersion(): Promise<string> {
    return String(await this.call('core.version'));
  }

  /** `core.psx`: the PIDs of the node's processes (the first is the main process). */
  async processIds(): Promise<number[]> {
    const result = (await this.call('core.psx')) as { PID: number }[] | null;
    return (result ?? []).map((entry) => entry.PID);
  }

  /** `ul.lookup location <aor>`: the AOR's contacts; empty when it has none (Kamailio answers 404). */
  async ulLookup(aor: string): Promise<UlContact[]> {
    try {
      const result = (await this.call('ul.lookup', ['location', aor])) as {
        Contacts?: { Contact: UlContact }[];
      } | null;
      return (result?.Contacts ?? []).map((entry) => entry.Contact);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  /** `ul.rm location <aor>`: drops every binding of the AOR; a missing AOR is not an error. */
  async ulRm(aor: string): Promise<void> {
    try {
      await this.call('ul.rm', ['location', aor]);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  }

  /** `ws.dump`: the open WebSocket connections. */
  async wsDump(): Promise<WsConnection[]> {
    const result = (await this.call('ws.dump')) as { connections?: string[] } | null;
    return (result?.connections ?? []).flatMap((line) => parseWsConnection(line) ?? []);
  }

  /** `ws.close <id>`: closes one WebSocket connection with a close frame. */
  async wsClose(id: number): Promise<void> {
    await this.call('ws.close', [id]);
  }

  /** `htable.get <table> <key>`: the value, or null when the key is absent. */
  async htableGet(table: string, key: string): Promise<string | number | null> {
    try {
      const result = (await this.call('htable.get', [table, key])) as {
        item?: { value?: string | number };
      } | null;
      return result?.item?.value ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** `htable.delete <table> <key>`. */
  async htableDelete(table: string, key: string): Promise<void> {
    await this.call('htable.delete', [table, key]);
  }
}
