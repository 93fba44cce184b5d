import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { after } from 'node:test';

/**
 * Separate "hosts" for queue workers on one machine: a network namespace each (its 127.0.0.1 is
 * its own), joined by a veth pair each to a bridge on the test's side, whose address is where
 * Redis and PostgreSQL listen besides 127.0.0.1 (`ip netns`, `ip link … type veth|bridge`, as
 * container runtimes wire theirs). Without root, CAP_NET_ADMIN or `ip` (iproute2), the hosts
 * share this machine's network and the reason says why (also with TSFX_TEST_NETNS=off).
 */
export interface HostNetwork {
  mode: 'namespaces' | 'shared';
  /** Why the hosts share the network (empty with namespaces). */
  reason: string;
  /** Where servers listen and clients connect: the bridge's address, or 127.0.0.1. */
  serviceAddress: string;
  /** Clients' addresses servers must accept (PostgreSQL's pg_hba), as a CIDR. */
  clients: string;
  /** Per host, the command prefix running a program there (`ip netns exec <name>`, or none). */
  hosts: string[][];
  /** Removes the namespaces, veth pairs and bridge (also done when the test file ends). */
  teardown(): void;
}

/** A /24 of 10.231.x.0 that no route of this machine uses yet. */
function freeSubnet(): string {
  const routes = run(['ip', '-4', 'route', 'show']).stdout;
  for (let i = 0; i < 64; i++) {
    const subnet = `10.231.${randomBytes(1)[0]}`;
    if (!routes.includes(`${subnet}.`)) return subnet;
  }
  throw new Error('no free 10.231.x.0/24 subnet');
}

function run(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return { status: r.error ? -1 : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function sh(argv: string[]): void {
  const r = run(argv);
  if (r.status !== 0)
    throw new Error(`${argv.join(' ')}: ${r.stderr.trim() || `exit ${r.status}`}`);
}

/** Why namespaces cannot be used here, or '' when they can. */
function probe(): string {
  if (process.env.TSFX_TEST_NETNS === 'off') return 'TSFX_TEST_NETNS=off';
  if (userInfo().uid !== 0) return 'not root (network namespaces need CAP_NET_ADMIN)';
  if (run(['ip', '-V']).status !== 0) return 'no `ip` command (Debian package iproute2)';
  const unshare = run(['unshare', '--net', 'true']);
  if (unshare.status !== 0)
    return `unshare --net fails: ${unshare.stderr.trim() || `exit ${unshare.status}`}`;
  return '';
}

export function startHostNetwork(count: number): HostNetwork {
  const shared = (reason: string): HostNetwork => ({
    mode: 'shared',
    reason,
    serviceAddress: '127.0.0.1',
    clients: '127.0.0.1/32',
    hosts: Array.from({ length: count }, () => []),
    teardown: () => {},
  });
  const why = probe();
  if (why) return shared(why);

  const tag = randomBytes(2).toString('hex');
  const bridge = `tsfxbr${tag}`;
  const namespaces = Array.from({ length: count }, (_, i) => `tsfx-${tag}-host${i + 1}`);
  let tornDown = false;
  const teardown = (): void => {
    if (tornDown) return;
    tornDown = true;
    // Deleting a namespace deletes the veth end inside it, and with it its peer on the bridge.
    for (const ns of namespaces) run(['ip', 'netns', 'delete', ns]);
    run(['ip', 'link', 'delete', bridge]);
  };
  // Also when the test process ends without its `after` hooks (an uncaught error).
  process.once('exit', teardown);
  after(teardown);
  try {
    const subnet = freeSubnet();
    const serviceAddress = `${subnet}.1`;
    sh(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    sh(['ip', 'addr', 'add', `${serviceAddress}/24`, 'dev', bridge]);
    sh(['ip', 'link', 'set', bridge, 'up']);
    namespaces.forEach((ns, i) => {
      const veth = `tsfx${tag}h${i + 1}`;
      sh(['ip', 'netns', 'add', ns]);
      sh(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      sh(['ip', 'link', 'set', veth, 'master', bridge, 'up']);
      sh(['ip', '-n', ns, 'addr', 'add', `${subnet}.${i + 2}/24`, 'dev', 'eth0']);
      sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      sh(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
      sh(['ip', '-n', ns, 'route', 'add', 'default', 'via', serviceAddress]);
    });
    return {
      mode: 'namespaces',
      reason: '',
      serviceAddress,
      clients: `${subnet}.0/24`,
      hosts: namespaces.map((ns) => ['ip', 'netns', 'exec', ns]),
      teardown,
    };
  } catch (error) {
    teardown();
    return shared(`setting up namespaces failed: ${(error as Error).message}`);
  }
}
