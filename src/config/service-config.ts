import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CONNECTORS } from '../connectors/registry.js';
import { type Config, describeConfigError, type TenantConfig } from '../model/config.js';
import { ConfigError, parseConfigText } from '../model/config-text.js';

/** One tenant as the service runs it: its metric settings and its connectors' checked settings. */
export interface TenantRuntime {
  config: TenantConfig;
  connectors: Map<string, unknown>;
}

export interface ServiceConfig {
  tenants: Map<string, TenantRuntime>;
  /** sha256(token) → tenant: look-ups by hash keep token comparison free of timing leaks. */
  tokens: Map<string, string>;
}

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function buildServiceConfig(config: Config, source: string): ServiceConfig {
  const problems: string[] = [];
  const tenants = new Map<string, TenantRuntime>();
  const tokens = new Map<string, string>();
  config.tenants.forEach((tenant, index) => {
    const connectors = new Map<string, unknown>();
    for (const [id, raw] of Object.entries(tenant.connectors)) {
      const connector = CONNECTORS[id];
      if (!connector) {
        problems.push(
          `tenants[${index}].connectors.${id}: unknown connector (known: ${Object.keys(CONNECTORS).join(', ')})`,
        );
        continue;
      }
      const result = connector.settingsSchema.safeParse(raw, { reportInput: true });
      if (result.success) connectors.set(id, result.data);
      else {
        for (const line of describeConfigError(result.error)) {
          problems.push(
            `tenants[${index}].connectors.${id}${line.startsWith('(top level)') ? line.slice(11) : `.${line}`}`,
          );
        }
      }
    }
    tenant.api_tokens.forEach((token, tokenIndex) => {
      const hash = tokenHash(token);
      if (tokens.has(hash))
        problems.push(`tenants[${index}].api_tokens[${tokenIndex}]: the same token is given to two tenants`);
      tokens.set(hash, tenant.id);
    });
    tenants.set(tenant.id, { config: tenant, connectors });
  });
  if (problems.length > 0) throw new ConfigError(source, problems);
  return { tenants, tokens };
}

export function loadServiceConfig(
  path: string,
  env: Record<string, string | undefined> = process.env,
): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  return buildServiceConfig(parseConfigText(text, path, env), path);
}
