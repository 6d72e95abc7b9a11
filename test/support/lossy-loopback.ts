// A worse network for the media of end-to-end tests: drops a share of the UDP packets on `lo` with
// an iptables `statistic` rule. UDP only: the RTP and STUN of the calls suffer, SIP over WebSocket,
// the account API and Kamailio's JSON-RPC (all TCP) do not. `tc qdisc … netem` would add delay too,
// but this machine's kernel has no sch_netem (and no modules to load); iptables works everywhere
// the namespace does.
//
// Only inside the tests' loopback-only network namespace (scripts/test.ts): it refuses to touch the
// firewall of a namespace that has any interface other than `lo`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The names of this network namespace's interfaces (`ip -o link` asks the kernel over netlink). */
async function interfaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['-o', 'link', 'show']);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (/^\d+:\s*([^:@]+)/.exec(line)?.[1] ?? '').trim());
}

function rule(percent: number): string[] {
  const probability = (percent / 100).toFixed(4);
  // INPUT, not OUTPUT: a packet dropped on its way out fails the sender's sendto() with EPERM, which
  // is not what a lossy network does; dropped on its way in, it is simply gone.
  return `INPUT -i lo -p udp -m statistic --mode random --probability ${probability} -j DROP`.split(' ');
}

/**
 * Drops `percent` % of the UDP packets sent on `lo` until the returned function removes the rule
 * (call it in a `finally`).
 */
export async function dropUdpOnLoopback(percent: number): Promise<() => Promise<void>> {
  const names = await interfaces();
  if (names.some((name) => name !== 'lo'))
    throw new Error(
      `Not in a loopback-only namespace (interfaces: ${names.join(', ')}): run through scripts/test.ts.`,
    );
  await run('iptables', ['-w', '-I', ...rule(percent)]);
  return async () => {
    await run('iptables', ['-w', '-D', ...rule(percent)]);
  };
}
