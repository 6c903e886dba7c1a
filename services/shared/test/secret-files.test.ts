import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigSchema, loadConfig } from '../src/config/index.ts';

const schema = baseConfigSchema.extend({ BOT_SERVICE_TOKEN: z.string().min(16) });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig with SECRETS_DIR', () => {
  it('reads a variable that is not set from the file of its name, without its final line break', () => {
    writeFileSync(join(dir, 'BOT_SERVICE_TOKEN'), 'a-secret-from-a-file-0123456789\n');
    writeFileSync(join(dir, 'POSTGRES_URL'), 'postgres://postgres:pw@db:5432/postgres');
    const config = loadConfig(schema, { SECRETS_DIR: dir, POSTGRES_URL: '' });
    expect(config.BOT_SERVICE_TOKEN).toBe('a-secret-from-a-file-0123456789');
    expect(config.POSTGRES_URL).toBe('postgres://postgres:pw@db:5432/postgres');
  });

  it('lets a value in the environment win over the file', () => {
    writeFileSync(join(dir, 'BOT_SERVICE_TOKEN'), 'a-secret-from-a-file-0123456789');
    const config = loadConfig(schema, {
      SECRETS_DIR: dir,
      BOT_SERVICE_TOKEN: 'a-secret-from-the-environment',
    });
    expect(config.BOT_SERVICE_TOKEN).toBe('a-secret-from-the-environment');
  });

  it('names the file of a wrong secret instead of printing it, and says unset when there is none', () => {
    writeFileSync(join(dir, 'BOT_SERVICE_TOKEN'), 'short');
    expect(() => loadConfig(schema, { SECRETS_DIR: dir })).toThrow(
      `BOT_SERVICE_TOKEN=the file ${join(dir, 'BOT_SERVICE_TOKEN')}: Too small`,
    );
    expect(() => loadConfig(schema, { SECRETS_DIR: dir })).not.toThrow(/short/);
    rmSync(join(dir, 'BOT_SERVICE_TOKEN'));
    expect(() => loadConfig(schema, { SECRETS_DIR: dir })).toThrow('BOT_SERVICE_TOKEN=unset');
  });

  it('reads no file without SECRETS_DIR', () => {
    writeFileSync(join(dir, 'BOT_SERVICE_TOKEN'), 'a-secret-from-a-file-0123456789');
    expect(() => loadConfig(schema, {})).toThrow('BOT_SERVICE_TOKEN=unset');
  });
});
