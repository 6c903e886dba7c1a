/**
 * Reading docker-compose.yml the way Compose does, without a Docker engine: YAML with merge keys
 * (`<<: *anchor`), then `${NAME}` interpolation from an environment (the `.env` file).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const root = new URL('../../', import.meta.url);

/** The name and port of every part, as docs/architecture.md lists them. */
export const CONTRACT_PORTS: Readonly<Record<string, number>> = {
  bot: 3000,
  auth: 3001,
  catalog: 3002,
  order: 3003,
  payment: 3004,
  notification: 3005,
  web: 3006,
  sandbox: 8081,
};

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  profiles?: string[];
  restart?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  ports?: (string | number)[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] | string };
  volumes?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The file as YAML data with merge keys resolved, `${...}` left as written. */
export async function readComposeRaw(): Promise<unknown> {
  return parse(await readFile(new URL('docker-compose.yml', root), 'utf8'), { merge: true });
}

/** The file after interpolation from `env`, as `docker compose config` would see it. */
export async function readCompose(env: Record<string, string> = {}): Promise<ComposeFile> {
  return interpolateDeep(await readComposeRaw(), env) as ComposeFile;
}

/**
 * Compose interpolation: `$$` is a dollar, `${NAME}`, `${NAME:-default}` / `${NAME-default}`
 * (default when unset or empty / when unset), `${NAME:+other}` / `${NAME+other}`, `${NAME:?error}`;
 * defaults may themselves hold `${...}`. An empty value counts as unset for the `:` forms.
 */
export function interpolate(text: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') {
      out += text.charAt(i);
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (text[i + 1] !== '{') throw new Error(`unsupported $ at ${i} in ${text} (write \${NAME})`);
    const end = closingBrace(text, i + 2);
    out += substitute(text.slice(i + 2, end), env);
    i = end;
  }
  return out;
}

/** Every variable a `${...}` in `text` reads, nested defaults included. */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unclosed \${ in ${text}`);
}

function substitute(expression: string, env: Record<string, string>): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?])([\s\S]*))?$/.exec(expression);
  if (!match) throw new Error(`bad interpolation \${${expression}}`);
  const [, name = '', colon, operator, rest = ''] = match;
  const value = env[name];
  const set = colon ? value !== undefined && value !== '' : value !== undefined;
  if (operator === '-') return set ? value! : interpolate(rest, env);
  if (operator === '+') return set ? interpolate(rest, env) : '';
  if (operator === '?' && !set) throw new Error(`${name} is required: ${rest}`);
  return value ?? '';
}

function interpolateDeep(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  return value;
}

/** Every string anywhere in `value`. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Variables `.env.example` documents: active lines and commented-out examples (`# NAME=value`). */
export async function documentedVariables(): Promise<Set<string>> {
  const text = await readFile(new URL('.env.example', root), 'utf8');
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!));
}

/** The variables a part's `src/config.ts` reads: the keys of every zod object schema it exports. */
export async function configVariables(dir: string): Promise<string[] | undefined> {
  const file = new URL(`${dir}/src/config.ts`, root);
  if (!existsSync(file)) return undefined;
  const module = (await import(file.href)) as Record<string, unknown>;
  const schemas = Object.values(module).filter((value) => value instanceof z.ZodObject);
  return [...new Set(schemas.flatMap((schema) => Object.keys(schema.shape)))];
}

/** Where every container finds the secret files (the `secrets` volume). */
export const SECRETS_DIR = '/run/shop-secrets';

/** The one-shot services that write the secret files, and exit. */
export const SECRET_JOBS = ['secrets', 'sandbox-secrets'];

/** Runs deploy/secrets.sh (`generate` or `check`) as its compose service does, on the folder `dir`. */
export function runSecretsScript(mode: string, dir: string, env: Record<string, string> = {}) {
  const run = spawnSync('sh', [new URL('deploy/secrets.sh', root).pathname, mode], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SECRETS_DIR: dir, ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr };
}

/** The variables `secrets` provides as files: what a sandbox-profile run writes. */
export function secretFileNames(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  try {
    runSecretsScript('generate', dir);
    runSecretsScript('check', dir);
    return readdirSync(dir).filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
