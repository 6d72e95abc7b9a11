import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream build. */
const TICKS_PER_SECOND = 100;

/** utime + stime of one /proc/<pid>/stat line when the process is in `pgid`, else 0. */
function groupTicks(stat: string, pgid: number): number {
  // Fields after the parenthesised command name: state ppid pgrp … utime(14) stime(15).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (Number(fields[2]) !== pgid) return 0;
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

/** CPU seconds (user + system) used so far by the live processes of process group `pgid`. */
export function processGroupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      ticks += groupTicks(readFileSync(`/proc/${entry}/stat`, 'utf8'), pgid);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return ticks / TICKS_PER_SECOND;
}
