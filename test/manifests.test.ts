import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceConfig } from '../src/config/service-config.js';
import { QUEUE_PREFIX } from '../src/jobs/queues.js';
import { parseConfigText } from '../src/model/config-text.js';
import type { EmbeddedRedis } from '../src/store/embedded-redis.js';
import { startRedis } from './pipeline/harness.js';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('manifests/zendesk: an app an admin can upload as it is', () => {
  const root = 'manifests/zendesk';
  const manifest = readJson(join(root, 'manifest.json'));

  it('has the manifest fields Zendesk requires, for a v2 ticket-sidebar app', () => {
    expect(typeof manifest.name).toBe('string');
    expect(manifest.author).toEqual({
      name: expect.any(String),
      email: expect.stringMatching(/^[^@\s]+@[^@\s]+$/),
      url: expect.stringMatching(/^https:\/\//),
    });
    expect(manifest.defaultLocale).toBe('en');
    expect(manifest.frameworkVersion).toBe('2.0');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof manifest.private).toBe('boolean');
    expect(Object.keys(manifest.location)).toEqual(['support']);
    expect(manifest.location.support.ticket_sidebar.url).toBe('assets/iframe.html');
    expect(Array.isArray(manifest.domainWhitelist)).toBe(true);
    for (const parameter of manifest.parameters) {
      expect(parameter.name).toMatch(/^[a-z_]+$/);
      expect(['text', 'password', 'checkbox', 'url', 'number', 'multiline', 'hidden']).toContain(
        parameter.type,
      );
    }
    // The secret is a secure setting (never sent to the browser); the URL is readable by the page.
    const byName = Object.fromEntries(manifest.parameters.map((p: { name: string }) => [p.name, p]));
    expect(byName.shared_secret).toMatchObject({ secure: true, required: true });
    expect(byName.deskpulse_url).toMatchObject({ type: 'url', secure: false });
  });

  it('names only files that exist: the location page, its scripts and styles, logos, translations', () => {
    const page = readFileSync(join(root, manifest.location.support.ticket_sidebar.url), 'utf8');
    const local = [...page.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1] as string)
      .filter((url) => !url.startsWith('https://'));
    expect(local.sort()).toEqual(['main.css', 'main.js']);
    for (const file of local) expect(existsSync(join(root, 'assets', file)), file).toBe(true);
    expect(page).toContain('https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js');
    expect(pngSize(join(root, 'assets/logo.png'))).toEqual([320, 320]);
    expect(pngSize(join(root, 'assets/logo-small.png'))).toEqual([128, 128]);

    const translations = readJson(join(root, `translations/${manifest.defaultLocale}.json`));
    for (const key of ['name', 'short_description', 'long_description', 'installation_instructions'])
      expect(typeof translations.app[key], key).toBe('string');
    for (const parameter of manifest.parameters)
      expect(typeof translations.app.parameters[parameter.name].label, parameter.name).toBe('string');
  });

  it("signs its requests with the secure setting, as the app settings of deskpulse's Zendesk connector expect", () => {
    const script = readFileSync(join(root, 'assets/main.js'), 'utf8');
    expect(script).toContain("secret_key: '{{setting.shared_secret}}'");
    expect(script).toContain("algorithm: 'HS256'");
    expect(script).toContain('secure: true');
    expect(script).toContain('/api/v1/app/tickets/');
    expect(script).toContain('/api/v1/app/me');
  });
});

describe('manifests/slack/manifest.yml', () => {
  const manifest = parseYaml(readFileSync('manifests/slack/manifest.yml', 'utf8'));

  it('is a Slack app manifest with the scopes deskpulse uses and its interactivity URL', () => {
    expect(manifest.display_information.name).toBe('deskpulse');
    expect(manifest.features.bot_user.display_name).toBe('deskpulse');
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['chat:write', 'chat:write.public', 'incoming-webhook']),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // The path deskpulse's server answers Slack's button clicks on.
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/actions');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});

describe('manifests/kubernetes', () => {
  const dir = 'manifests/kubernetes';
  const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
  const documents = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => {
      expect(document.errors, file).toEqual([]);
      return { file, value: document.toJS() };
    }),
  );
  const find = (kind: string, name: string) =>
    documents.find((document) => document.value.kind === kind && document.value.metadata?.name === name)
      ?.value;
  let redis: EmbeddedRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('every document parses and has apiVersion, kind and a name; kustomization lists every file', () => {
    const kustomization = documents.find((document) => document.file === 'kustomization.yaml')?.value;
    expect(kustomization.resources.sort()).toEqual(
      files.filter((file) => file !== 'kustomization.yaml').sort(),
    );
    for (const { file, value } of documents) {
      if (file === 'kustomization.yaml') continue;
      expect(value.apiVersion, file).toMatch(/^[a-z0-9.]+(\/v[0-9a-z]+)?$|^v1$/);
      expect(value.kind, file).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(value.metadata.name, file).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('API and worker Deployments run real deskpulse commands with probes on real endpoints', () => {
    const api = find('Deployment', 'deskpulse-api');
    const worker = find('Deployment', 'deskpulse-worker');
    for (const deployment of [api, worker]) {
      expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
      const [container] = deployment.spec.template.spec.containers;
      expect(container.image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(container.envFrom).toEqual([{ secretRef: { name: 'deskpulse-secrets' } }]);
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    }
    const apiContainer = api.spec.template.spec.containers[0];
    expect(apiContainer.args.slice(0, 2)).toEqual(['serve', '--no-workers']);
    expect(apiContainer.readinessProbe.httpGet.path).toBe('/readyz');
    expect(apiContainer.livenessProbe.httpGet.path).toBe('/healthz');
    expect(worker.spec.template.spec.containers[0].args[0]).toBe('worker');
    const main = readFileSync('src/cli/main.ts', 'utf8');
    for (const command of ['serve', 'worker']) expect(main).toContain(`.command('${command}')`);
    const service = find('Service', 'deskpulse-api');
    expect(service.spec.selector).toEqual(api.spec.template.metadata.labels);
  });

  it('Redis keeps every write (AOF) and never evicts; the Secret gives REDIS_URL', () => {
    const statefulSet = find('StatefulSet', 'deskpulse-redis');
    const args: string[] = statefulSet.spec.template.spec.containers[0].args;
    const setting = (name: string) => args[args.indexOf(`--${name}`) + 1];
    expect(setting('appendonly')).toBe('yes');
    expect(setting('maxmemory-policy')).toBe('noeviction');
    expect(find('Secret', 'deskpulse-secrets').stringData.REDIS_URL).toBe('redis://deskpulse-redis:6379');
  });

  it('the ConfigMap holds a valid tenants file once the Secret’s variables are set', () => {
    const env = find('Secret', 'deskpulse-secrets').stringData as Record<string, string>;
    const text = find('ConfigMap', 'deskpulse-config').data['deskpulse.yaml'] as string;
    const config = buildServiceConfig(parseConfigText(text, 'config.yaml', env), 'config.yaml');
    expect([...config.tenants.keys()]).toEqual(['acme']);
    expect(() => parseConfigText(text, 'config.yaml', {})).toThrow(/ZENDESK_API_TOKEN is not set/);
  });

  it('the autoscaler watches the lists where BullMQ really keeps waiting jobs', async () => {
    const scaled = find('ScaledObject', 'deskpulse-worker');
    expect(scaled.spec.scaleTargetRef.name).toBe('deskpulse-worker');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      for (const trigger of scaled.spec.triggers) {
        const listName: string = trigger.metadata.listName;
        const queueName = listName.split(':')[1] as string;
        expect(listName).toBe(`${QUEUE_PREFIX}:${queueName}:wait`);
        const queue = new Queue(queueName, { connection, prefix: QUEUE_PREFIX });
        await queue.add('probe', {});
        expect(await connection.llen(listName), listName).toBe(1);
        await queue.close();
      }
    } finally {
      connection.disconnect();
    }
  });
});

describe('Dockerfile', () => {
  it('runs the built CLI, whose commands the manifests use', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/deskpulse.js"]');
    expect(dockerfile).toMatch(/COPY web \.\/web/); // the dashboard's files
    expect(readFileSync('bin/deskpulse.js', 'utf8')).toContain('dist/cli/main.js');
  });
});
