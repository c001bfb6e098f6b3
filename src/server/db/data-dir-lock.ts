/**
 * An exclusive lock on the embedded database's data directory for the life of the process.
 *
 * PGlite takes no lock of its own, and two openers of one directory (a second module graph, a
 * script run while the server runs) lose committed rows without a word. proper-lockfile was
 * considered; it detects staleness by mtime and records no owner, and we want the error to name
 * the process that holds the directory. The lock file holds that process's pid; a lock whose
 * process is gone is stale and taken over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    holderInfo: string,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holderPid} (${holderInfo}). ` +
        'Stop that process first, or point DATA_DIR at another directory.',
    );
  }
}

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  argv: string;
}

const heldKey = Symbol.for('linernotes.heldDataDirLocks');
const held: Set<string> = ((globalThis as Record<symbol, unknown>)[heldKey] ??= new Set<string>()) as Set<string>;

/** Whether a process with this pid is running (on this host). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** Takes the lock or throws DataDirLockedError; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'linernotes.lock');
  if (held.has(lockPath)) {
    const me = readHolder(lockPath);
    throw new DataDirLockedError(dir, process.pid, `this process, opened at ${me?.startedAt ?? '?'}; share the runtime instead of opening it twice`);
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    argv: process.argv.slice(1).join(' ').slice(0, 200),
  };
  const tmp = `${lockPath}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(tmp, JSON.stringify(holder));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        // link() fails if the lock exists, so exactly one opener wins a race.
        fs.linkSync(tmp, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
        const current = readHolder(lockPath);
        if (current && current.pid !== process.pid && isAlive(current.pid) && current.host === holder.host) {
          throw new DataDirLockedError(dir, current.pid, `${current.argv}, since ${current.startedAt}`);
        }
        fs.rmSync(lockPath, { force: true }); // stale: its process is gone
      }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  held.add(lockPath);
  const release = () => {
    if (!held.delete(lockPath)) return;
    if (readHolder(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return release;
}
