import { parse as parseYaml, YAMLParseError } from 'yaml';
import { type Config, configSchema, describeConfigError } from './config.js';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the tenants file (YAML, of which JSON is a subset) and validate it, or say where it is wrong. */
export function parseConfigText(text: string, source: string): Config {
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
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(source, describeConfigError(result.error));
  return result.data;
}
