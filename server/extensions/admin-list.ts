// The admin list of extensions: filters, search, sort and paging in SQL on both engines, with the
// live registration state (from one registrar dump) as a filter and as a sort key.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database, Extension } from '../db/schema.ts';

/** Which extensions the list shows. */
export interface ExtensionFilter {
  /** Number prefix or name substring, case-insensitive. */
  q?: string | undefined;
  enabled?: boolean | undefined;
  manualDialing?: boolean | undefined;
  callRecording?: boolean | undefined;
  /** Only extensions whose password was last set before this time (ISO): due for rotation. */
  passwordChangedBefore?: string | undefined;
  /** Only registered (true) or only unregistered (false) extensions, by the given registered numbers. */
  registered?: { is: boolean; numbers: readonly string[] } | undefined;
}

export type ExtensionSort = 'number' | 'name' | 'createdAt' | 'registeredAt';

export interface ListRequest {
  filter: ExtensionFilter;
  sort: ExtensionSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
  /** For sort=registeredAt: when each registered number registered (unregistered ones sort last). */
  registeredAt?: (number: string) => string | null;
}

/** LIKE with `\` escaping the wildcards the user typed, so "50%" searches for "50%". */
const likeEscaped = (text: string): string => text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

const flagIs = (value: boolean): 0 | 1 => (value ? 1 : 0);

function conditions(
  eb: ExpressionBuilder<Database, 'extensions'>,
  filter: ExtensionFilter,
): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [];
  const q = filter.q?.trim();
  if (q) {
    const escaped = likeEscaped(q);
    all.push(
      eb.or([
        sql<SqlBool>`${eb.ref('number')} like ${`${escaped}%`} escape '\\'`,
        sql<SqlBool>`lower(${eb.ref('name')}) like ${`%${escaped}%`} escape '\\'`,
      ]),
    );
  }
  if (filter.enabled !== undefined) all.push(eb('enabled', '=', flagIs(filter.enabled)));
  if (filter.manualDialing !== undefined) all.push(eb('manual_dialing', '=', flagIs(filter.manualDialing)));
  if (filter.callRecording !== undefined) all.push(eb('call_recording', '=', flagIs(filter.callRecording)));
  if (filter.passwordChangedBefore !== undefined)
    all.push(eb('password_changed_at', '<', filter.passwordChangedBefore));
  const registered = filter.registered;
  if (registered && registered.numbers.length > 0)
    all.push(eb('number', registered.is ? 'in' : 'not in', [...registered.numbers]));
  return eb.and(all);
}

/** True when the filter can match nothing without asking the database (registered, but nobody is). */
function matchesNothing(filter: ExtensionFilter): boolean {
  return filter.registered?.is === true && filter.registered.numbers.length === 0;
}

// Names sort the way people read them (case-insensitive); numbers in numeric order (1001 before
// 10000), which for digit strings is shorter first, then by digits — the same on both engines.
const SORT_KEYS = {
  number: [],
  name: [sql`lower(name)`, sql`name`],
  createdAt: [sql`created_at`],
} as const;
const NUMBER_ORDER = [sql`length(number)`, sql`number`];

async function pageBySql(db: Kysely<Database>, request: ListRequest, sort: keyof typeof SORT_KEYS) {
  let query = db
    .selectFrom('extensions')
    .selectAll()
    .where((eb) => conditions(eb, request.filter));
  for (const key of [...SORT_KEYS[sort], ...NUMBER_ORDER]) query = query.orderBy(key, request.order);
  return query
    .limit(request.pageSize)
    .offset((request.page - 1) * request.pageSize)
    .execute();
}

/** Numeric order of two extension numbers (digit strings, possibly with leading zeros). */
const compareNumbers = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Registration time lives in Kamailio, not in SQL: sort the matching numbers here, then fetch one page. */
async function pageByRegisteredAt(db: Kysely<Database>, request: ListRequest): Promise<Extension[]> {
  const numbers = await db
    .selectFrom('extensions')
    .select('number')
    .where((eb) => conditions(eb, request.filter))
    .execute();
  const at = request.registeredAt ?? (() => null);
  const direction = request.order === 'asc' ? 1 : -1;
  const sorted = numbers
    .map((row) => ({ number: row.number, at: at(row.number) }))
    .sort((a, b) => {
      // Unregistered extensions sort last in both directions.
      if (a.at !== b.at) return a.at === null ? 1 : b.at === null ? -1 : a.at < b.at ? -direction : direction;
      return compareNumbers(a.number, b.number) * direction;
    });
  const start = (request.page - 1) * request.pageSize;
  const page = sorted.slice(start, start + request.pageSize).map((row) => row.number);
  if (page.length === 0) return [];
  const rows = await db.selectFrom('extensions').selectAll().where('number', 'in', page).execute();
  const byNumber = new Map(rows.map((row) => [row.number, row]));
  return page.flatMap((number) => byNumber.get(number) ?? []);
}

/** One page of extensions and how many match in all. */
export async function listExtensions(
  db: Kysely<Database>,
  request: ListRequest,
): Promise<{ rows: Extension[]; total: number }> {
  if (matchesNothing(request.filter)) return { rows: [], total: 0 };
  const counted = await db
    .selectFrom('extensions')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('total'))
    .where((eb) => conditions(eb, request.filter))
    .executeTakeFirstOrThrow();
  const rows =
    request.sort === 'registeredAt'
      ? await pageByRegisteredAt(db, request)
      : await pageBySql(db, request, request.sort);
  return { rows, total: Number(counted.total) };
}
