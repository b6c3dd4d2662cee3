import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@rapport/config';

/**
 * docker-compose.yml cannot be started on machines without a Docker engine, so its shape is
 * checked here: it parses, every service it depends on exists, images are pinned, every app's
 * environment passes Rapport's own configuration validation, and every command points at a
 * file the Dockerfile's build produces.
 */
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: string; command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown>; healthcheck?: unknown }>;
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const apps = ['ingest', 'projector', 'query-api'];

describe('docker-compose.yml', () => {
  it('runs the engines and every app as its own service', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['eventstore', 'ingest', 'kafka', 'projector', 'query-api', 'redis']);
  });

  it('lets producers on the host publish: a listener advertised as localhost, its port published', () => {
    const kafka = compose.services.kafka as { environment: Record<string, string>; ports: string[] };
    const advertised = kafka.environment.KAFKA_ADVERTISED_LISTENERS.split(',');
    const host = advertised.find((listener) => /\/\/localhost:\d+$/.test(listener));
    expect(host).toBeDefined();
    const port = host!.split(':').pop();
    expect(kafka.ports).toContain(`${port}:${port}`);
    expect(advertised).toContain('PLAINTEXT://kafka:9092');
  });

  it('pins every engine image to a version and gives it a health check', () => {
    for (const name of ['eventstore', 'kafka', 'redis']) {
      const service = compose.services[name];
      expect(service.image).toMatch(/^[\w./-]+:\d[\w.-]*$/);
      expect(service.healthcheck).toBeDefined();
    }
  });

  it.each(apps)('wires %s to services that exist and start healthy first', (app) => {
    const service = compose.services[app];
    expect(service.build).toBe('.');
    for (const [dependency, condition] of Object.entries(service.depends_on ?? {})) {
      expect(compose.services[dependency]).toBeDefined();
      expect(condition).toEqual({ condition: 'service_healthy' });
    }
    const hosts = Object.values(service.environment ?? {})
      .map((value) => /^[a-z+]+:\/\/([^:/?]+)/.exec(String(value))?.[1] ?? /^([a-z-]+):\d+$/.exec(String(value))?.[1])
      .filter((host): host is string => Boolean(host));
    for (const host of hosts) expect(Object.keys(compose.services)).toContain(host);
  });

  it('makes every app share one set of API keys, required at start', () => {
    for (const app of apps) {
      expect(compose.services[app].environment?.RAPPORT_API_KEYS).toMatch(/^\$\{RAPPORT_API_KEYS:\?.+\}$/);
    }
  });

  it.each(apps)('gives %s an environment that passes configuration validation', (app) => {
    const environment = Object.fromEntries(
      Object.entries(compose.services[app].environment ?? {})
        .filter(([name]) => name !== 'RAPPORT_API_KEYS')
        .map(([k, v]) => [k, String(v)]),
    );
    const config = loadConfig(environment);
    expect(config.eventStore.kind).toBe('eventstoredb');
    if (app !== 'ingest') expect(config.readStore.kind).toBe('redis');
    else expect(config.kafka?.brokers).toEqual(['kafka:9092']);
  });

  it.each(apps)('starts %s from the entry file the build produces', (app) => {
    const command = compose.services[app].command ?? [];
    expect(command[0]).toBe('node');
    expect(command[command.length - 1]).toBe(`dist/apps/${app}/apps/${app}/src/main.js`);
    expect(existsSync(join(root, 'apps', app, 'src', 'main.ts'))).toBe(true);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('npm run build:all');
    expect(pkg.scripts['build:all']).toContain(`nest build ${app}`);
  });

  it.each(apps)('gives %s the Node flags that its npm start script gives it', (app) => {
    const command = compose.services[app].command ?? [];
    expect(pkg.scripts[`start:${app}`]).toContain(`&& ${command.join(' ')}`);
  });

  it('gives the platform image the Node flags that npm start gives it', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd[cmd.length - 1]).toBe('dist/apps/platform/apps/platform/src/main.js');
    expect(pkg.scripts.start).toContain(`&& ${cmd.join(' ')}`);
    expect(cmd).toContain('--no-allocation-site-pretenuring');
  });

  it.each(['projector', 'ingest'])('runs %s, which answers no queries, with a young generation larger than V8\'s 16 MB', (app) => {
    const flags = (compose.services[app].command ?? []).slice(1, -1);
    const semiSpaceMb = Number(/^--max-semi-space-size=(\d+)$/.exec(flags.find((f) => f.startsWith('--max-semi-space-size=')) ?? '')?.[1]);
    expect(semiSpaceMb).toBeGreaterThan(16);
  });
});
