/** @jest-environment node */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, findPlainSecrets, findPlainSecretsInText, readText, readYaml } from './support';
import { job, loadPromtail } from '../shippers/lib/promtail-config';

const OUR_PLUGIN_IDS = [
  'meshaudit-suite-app',
  'meshaudit-loki-datasource',
  'meshaudit-topology-panel',
  'meshaudit-controls-panel',
  'meshaudit-retention-panel',
];

// An empty env file keeps a developer's own .env out of the result.
const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'compose-test-')), 'empty.env');
writeFileSync(emptyEnvFile, '');

function composeConfig(env: Record<string, string>, extraArgs: string[] = []) {
  return spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', 'docker-compose.yml', ...extraArgs, 'config'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** docker-compose 1.x prints short-syntax volumes: `source:target[:mode]`. */
function mounts(service: { volumes?: string[] }): Mount[] {
  return (service.volumes ?? []).map((v) => {
    const [source, target, mode] = v.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

function mountAt(service: { volumes?: string[] }, target: string): Mount {
  const found = mounts(service).find((m) => m.target === target);
  if (!found) {
    throw new Error(`no mount at ${target}; mounts: ${JSON.stringify(service.volumes)}`);
  }
  return found;
}

describe('docker-compose.yml', () => {
  beforeAll(() => {
    const which = spawnSync('sh', ['-c', 'command -v docker-compose']);
    if (which.status !== 0) {
      throw new Error("docker-compose is not installed: apt-get install -y docker-compose (.ci/run installs it)");
    }
  });

  // One `docker-compose config` run (about a second) serves every assertion below.
  let resolvedConfig: any;
  const resolved = () => {
    if (!resolvedConfig) {
      const run = composeConfig({ GRAFANA_ADMIN_PASSWORD: 'dummy-for-test' });
      if (run.status !== 0) {
        throw new Error(`docker-compose config failed: ${run.stderr}`);
      }
      resolvedConfig = parse(run.stdout);
    }
    return resolvedConfig;
  };

  it('passes `docker-compose config -q` with the admin password set', () => {
    const run = spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', GRAFANA_ADMIN_PASSWORD: 'dummy-for-test' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('refuses to start without GRAFANA_ADMIN_PASSWORD and says where to set it', () => {
    const run = composeConfig({});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('set it in .env');
  });

  it('runs grafana, loki, loggen and promtail by default and alloy only under its profile', () => {
    const config = resolved();
    expect(Object.keys(config.services).sort()).toEqual(['alloy', 'grafana', 'loggen', 'loki', 'promtail']);
    expect(config.services.alloy.profiles).toEqual(['alloy']);
    for (const name of ['grafana', 'loki', 'loggen', 'promtail']) {
      expect(config.services[name].profiles).toBeUndefined();
    }
  });

  it('pins every image to an explicit version', () => {
    const config = resolved();
    const images = Object.fromEntries(Object.entries<any>(config.services).map(([n, s]) => [n, s.image as string]));
    for (const [name, image] of Object.entries(images)) {
      expect(`${name}: ${image}`).toMatch(/:[^:]*\d+\.\d+\.\d+[^:]*$/);
      expect(image).not.toMatch(/:latest$/);
    }
    expect(images.grafana).toMatch(/^grafana\/grafana:(12\.(3|4)|13)\./);
    expect(images.loki).toMatch(/^grafana\/loki:3\./);
    expect(images.promtail).toMatch(/^grafana\/promtail:/);
    expect(images.alloy).toMatch(/^grafana\/alloy:/);
    expect(images.loggen).toMatch(/^node:20\./);
  });

  it('lets only our five plugins load unsigned and takes the admin password from the environment', () => {
    const grafana = resolved().services.grafana;
    expect(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').sort()).toEqual([...OUR_PLUGIN_IDS].sort());
    expect(grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toBe('dummy-for-test');
    const raw = readYaml('docker-compose.yml');
    expect(raw.services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toBe('${GRAFANA_ADMIN_PASSWORD:?set it in .env}');
  });

  it('mounts the plugin build, the provisioning and the dashboards into grafana', () => {
    const grafana = resolved().services.grafana;
    const plugin = mountAt(grafana, '/var/lib/grafana/plugins/meshaudit-suite-app');
    expect(plugin.source).toBe(join(ROOT, 'dist'));
    expect(mountAt(grafana, '/etc/grafana/provisioning').source).toBe(join(ROOT, 'provisioning/grafana'));
    const provider = readYaml('provisioning/grafana/dashboards/provider.yaml').providers[0];
    expect(mountAt(grafana, provider.options.path).source).toBe(join(ROOT, 'dashboards'));
    expect(mounts(grafana).filter((m) => m.source.startsWith(ROOT)).every((m) => m.readOnly)).toBe(true);
  });

  it('gives loki its config file and keeps chunks, index and WAL on a named volume', () => {
    const config = resolved();
    const loki = config.services.loki;
    expect(mountAt(loki, '/etc/loki/loki.yaml').source).toBe(join(ROOT, 'provisioning/loki/loki.yaml'));
    expect(loki.command).toContain('-config.file=/etc/loki/loki.yaml');
    const data = mountAt(loki, '/loki');
    expect(Object.keys(config.volumes)).toContain(data.source);
    const lokiConfig = readYaml('provisioning/loki/loki.yaml');
    expect(lokiConfig.ingester.wal.dir.startsWith('/loki/')).toBe(true);
    expect(lokiConfig.compactor.working_directory.startsWith('/loki/')).toBe(true);
  });

  it('shares /var/log/mesh: loggen writes it, the shippers only read it', () => {
    const config = resolved();
    const writer = mountAt(config.services.loggen, '/var/log/mesh');
    expect(writer.readOnly).toBe(false);
    expect(Object.keys(config.volumes)).toContain(writer.source);
    for (const shipper of ['promtail', 'alloy']) {
      const m = mountAt(config.services[shipper], '/var/log/mesh');
      expect(m.source).toBe(writer.source);
      expect(m.readOnly).toBe(true);
      expect(config.services[shipper].depends_on.loki.condition).toBe('service_healthy');
      expect(config.services[shipper].depends_on.loggen.condition).toBe('service_healthy');
    }
    expect(mountAt(config.services.promtail, '/etc/promtail/promtail.yaml').source).toBe(
      join(ROOT, 'provisioning/promtail/promtail.yaml')
    );
    expect(mountAt(config.services.alloy, '/etc/alloy/config.alloy').source).toBe(join(ROOT, 'provisioning/alloy/config.alloy'));
    // Promtail positions survive restarts, so a restart neither re-ships nor skips lines.
    const positions = mountAt(config.services.promtail, '/var/lib/promtail');
    expect(Object.keys(config.volumes)).toContain(positions.source);
  });

  it('runs the bundled loggen with node and the documented flags', () => {
    const loggen = resolved().services.loggen;
    expect(mountAt(loggen, '/opt/loggen').source).toBe(join(ROOT, 'dist-loggen'));
    expect(loggen.command.slice(0, 2)).toEqual(['node', '/opt/loggen/loggen.cjs']);
    for (const flag of ['--out', '--seed', '--rate', '--backfill', '--follow']) {
      expect(loggen.command).toContain(flag);
    }
    expect(loggen.command[loggen.command.indexOf('--out') + 1]).toBe('/var/log/mesh');
  });

  it('bind-mounts only files that exist in the repository (or are build outputs)', () => {
    const config = resolved();
    const buildOutputs = [join(ROOT, 'dist'), join(ROOT, 'dist-loggen')];
    const missing = Object.values<any>(config.services)
      .flatMap((s) => mounts(s))
      .filter((m) => m.source.startsWith('/') && !buildOutputs.includes(m.source))
      .filter((m) => !existsSync(m.source))
      .map((m) => m.source);
    expect(missing).toEqual([]);
  });

  it('has the shippers write where compose runs Loki, to the tenant Grafana reads, from the shared log volume', () => {
    const config = resolved();
    const grafanaTenant = config.services.grafana.environment.LOKI_TENANT;
    expect(grafanaTenant).toBe('mesh-audit');
    const promtail = config.services.promtail;
    expect(promtail.command).toEqual(['-config.file=/etc/promtail/promtail.yaml', '-config.expand-env=true']);
    // Promtail's own view of its config, with the environment compose gives it.
    const seen = loadPromtail('promtail.yaml', promtail.environment);
    expect(seen.clients.map((c) => [c.url, c.tenant_id])).toEqual([['http://loki:3100/loki/api/v1/push', grafanaTenant]]);
    expect(String((seen.positions as { filename: string }).filename).startsWith(`${mountAt(promtail, '/var/lib/promtail').target}/`)).toBe(true);
    const paths = job(seen, 'mesh-access-files').static_configs!.map((t) => t.labels.__path__);
    expect(paths.every((p) => p.startsWith(`${mountAt(promtail, '/var/log/mesh').target}/`))).toBe(true);
    // Alloy reads the same variables through sys.env, with the same defaults.
    const alloy = readText('provisioning/alloy/config.alloy');
    expect(alloy).toMatch(/tenant_id\s*=\s*coalesce\(sys\.env\("LOKI_TENANT"\),\s*"mesh-audit"\)/);
    expect(alloy).toMatch(/url\s*=\s*coalesce\(sys\.env\("LOKI_PUSH_URL"\),\s*"http:\/\/loki:3100\/loki\/api\/v1\/push"\)/);
    expect(alloy).toContain('coalesce(sys.env("MESH_LOG_ROOT"), "/var/log/mesh")');
    expect(config.services.alloy.environment).toEqual({
      LOKI_PUSH_URL: 'http://loki:3100/loki/api/v1/push',
      LOKI_TENANT: grafanaTenant,
      MESH_LOG_ROOT: mountAt(config.services.alloy, '/var/log/mesh').target,
    });
  });

  it('has healthchecks on the services others wait for', () => {
    const config = resolved();
    for (const name of ['grafana', 'loki', 'loggen']) {
      expect(config.services[name].healthcheck.test.length).toBeGreaterThan(0);
    }
    // The Loki image is distroless: a shell-based probe would never pass.
    expect(config.services.loki.healthcheck.test[0]).toBe('CMD');
  });

  it('holds no plain-text secret, and .env.example leaves the password blank', () => {
    expect(findPlainSecrets(readYaml('docker-compose.yml'))).toEqual([]);
    const example = readText('.env.example');
    expect(example).toMatch(/^GRAFANA_ADMIN_PASSWORD=$/m);
    expect(findPlainSecretsInText(example)).toEqual([]);
    // every variable compose reads has an entry in .env.example
    const used = new Set([...readText('docker-compose.yml').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect([...used].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('prints the resolved file through the ordinary client (sanity)', () => {
    const out = execFileSync('docker-compose', ['--env-file', emptyEnvFile, '-f', 'docker-compose.yml', 'config', '--services'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', GRAFANA_ADMIN_PASSWORD: 'x' },
      encoding: 'utf8',
    });
    expect(out.trim().split('\n').sort()).toEqual(['alloy', 'grafana', 'loggen', 'loki', 'promtail']);
  });
});
