import { parse as parseYaml, YAMLParseError } from 'yaml';
import { type Config, configSchema, describeConfigError, formatPath } from './config.js';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Replace `${NAME}` in every string with the environment variable, so that secrets stay out of
 * the file. A missing variable is an error at its place in the file.
 */
export function resolveEnvReferences(
  value: unknown,
  env: Record<string, string | undefined>,
  problems: string[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') {
        problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => resolveEnvReferences(item, env, problems, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveEnvReferences(item, env, problems, [...path, key]),
      ]),
    );
  }
  return value;
}

/** Parse the tenants file (YAML, of which JSON is a subset) and validate it, or say where it is wrong. */
export function parseConfigText(
  text: string,
  source: string,
  env: Record<string, string | undefined> = process.env,
): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const position = error.linePos?.[0];
      const where = position ? `line ${position.line}, column ${position.col}` : 'syntax';
      throw new ConfigError(source, [`${where}: ${error.message.split('\n')[0]}`]);
    }
    throw error;
  }
  const missing: string[] = [];
  raw = resolveEnvReferences(raw, env, missing);
  if (missing.length > 0) throw new ConfigError(source, missing);
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(source, describeConfigError(result.error));
  return result.data;
}
