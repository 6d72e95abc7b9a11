// Can Earshot write its SQLite database? Checked before opening (a clear start-up error instead of
// SQLITE_READONLY from deep inside a migration) and before every query (SQLite writes its WAL
// index through a shared memory map of the -shm file: once that file is immutable, the next query
// kills the process with SIGBUS, which no error handler can catch).
import { accessSync, constants, existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** The database cannot be written: its file (or a -wal/-shm file, or the directory they go in) is read-only. */
export class DatabaseReadOnlyError extends Error {
  constructor(
    readonly path: string,
    /** Which file and why, e.g. "earshot.sqlite-shm is immutable (chattr +i)". */
    readonly reason: string,
  ) {
    super(
      `The database ${path} is read-only: ${reason}. Earshot must be able to write it, its -wal and -shm files, and their directory.`,
    );
    this.name = 'DatabaseReadOnlyError';
  }
}

function why(code: string | undefined): string {
  if (code === 'EPERM') return 'is immutable (chattr +i)';
  if (code === 'EROFS') return 'is on a read-only file system';
  if (code === 'ENOENT') return 'does not exist';
  return 'is not writable for this user (permissions)';
}

/**
 * Why SQLite in WAL mode could not write `path`, or null when it can: the file, its -wal and -shm
 * files when they exist, and the directory when one of them is still to be created. Only access(2)
 * calls, so cheap enough for every query; as root, mode bits do not count (root may write anyway),
 * the immutable flag and read-only mounts do.
 */
export function sqliteWriteProblem(path: string): string | null {
  const files = [path, `${path}-wal`, `${path}-shm`];
  // The usual case, while the database is open: all three exist and are writable (~3 µs).
  if (files.every(writable)) return null;
  const present = files.filter((file) => existsSync(file));
  const targets = present.length < files.length ? [...present, dirname(path)] : present;
  for (const target of targets) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const name = target === dirname(path) ? 'its directory' : basename(target);
      return `${name} ${why((error as NodeJS.ErrnoException).code)}`;
    }
  }
  return null;
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** True for errors that mean "the database is read-only" (ours, or SQLite's own SQLITE_READONLY…). */
export function isReadOnlyDatabaseError(error: unknown): boolean {
  if (error instanceof DatabaseReadOnlyError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_READONLY');
}
