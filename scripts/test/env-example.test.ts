import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigSchema, ports } from '../../services/shared/src/index.ts';

const root = new URL('../../', import.meta.url);

async function documentedVariables(): Promise<Set<string>> {
  const text = await readFile(new URL('.env.example', root), 'utf8');
  // Active lines and commented-out examples (`# NAME=value`) both document a variable.
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!));
}

/** Every zod object schema a service's config.ts exports. */
async function serviceSchemas(): Promise<[string, z.ZodObject][]> {
  const found: [string, z.ZodObject][] = [];
  for (const dir of [
    'bot',
    ...(await readdir(new URL('services', root))).map((name) => `services/${name}`),
  ]) {
    const file = new URL(`${dir}/src/config.ts`, root);
    if (!existsSync(file)) continue;
    const module = (await import(file.href)) as Record<string, unknown>;
    for (const value of Object.values(module)) if (value instanceof z.ZodObject) found.push([dir, value]);
  }
  return found;
}

describe('.env.example', () => {
  it('lists every variable the shared config and the ports read', async () => {
    const documented = await documentedVariables();
    const missing = [...Object.keys(baseConfigSchema.shape), ...Object.keys(ports)].filter(
      (name) => !documented.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('lists every variable each service reads', async () => {
    const documented = await documentedVariables();
    const schemas = await serviceSchemas();
    expect(schemas.length).toBeGreaterThan(0);
    const missing = schemas.flatMap(([dir, schema]) =>
      Object.keys(schema.shape)
        .filter((name) => !documented.has(name))
        .map((name) => `${dir}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
