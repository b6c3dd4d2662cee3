import { spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/**
 * "One broker lost" for librdkafka's mock cluster, which has no external control to stop a
 * single broker (kcat serves all three from one process, and a proxy in front of one would be
 * bypassed: metadata hands out the brokers' own addresses). Instead every TCP connection to
 * that broker's port is destroyed with `ss -K` (SOCK_DESTROY) every few milliseconds for the
 * outage: clients see that broker reset and vanish, the other two stay reachable.
 */
export class BrokerCut {
  private timer: NodeJS.Timeout | undefined;
  cuts = 0;

  constructor(private readonly port: number) {}

  start(intervalMs = 20): void {
    const cut = () => {
      spawnSync('ss', ['-K', 'dport', '=', `:${this.port}`], { stdio: 'ignore' });
      spawnSync('ss', ['-K', 'sport', '=', `:${this.port}`], { stdio: 'ignore' });
      this.cuts++;
      this.timer = setTimeout(cut, intervalMs);
    };
    cut();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Whether `ss -K` can destroy sockets here (root and a kernel with SOCK_DESTROY). */
export async function socketDestroyWorks(): Promise<boolean> {
  // The accepted end sees the reset too; without a listener that would be an uncaught error.
  const server = createServer((accepted) => accepted.on('error', () => {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 1_000);
      socket.once('connect', () => {
        spawnSync('ss', ['-K', 'dport', '=', `:${port}`], { stdio: 'ignore' });
      });
      const gone = () => {
        clearTimeout(timer);
        resolve(true);
      };
      socket.once('error', gone);
      socket.once('close', gone);
    });
  } finally {
    server.close();
  }
}
