import { baseConfigSchema, ConfigError, loadConfig, ports } from '@shop/shared';
import { z } from 'zod';

const PRODUCTION =
  'the sandbox is a fake Telegram for development and tests (it plays every user): it never runs with NODE_ENV=production';

export const sandboxConfigSchema = baseConfigSchema.extend({
  // On the field, not the object: checked even when other variables are wrong too.
  NODE_ENV: baseConfigSchema.shape.NODE_ENV.refine((mode) => mode !== 'production', PRODUCTION),
  SANDBOX_PORT: ports.SANDBOX_PORT,
  /** Loopback by default: whoever reaches the sandbox can act as any of its users. */
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  /** How long a pre_checkout_query waits for the bot's answer: Telegram's 10 s; shorter in tests. */
  SANDBOX_PRE_CHECKOUT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** The one bot token its Bot API accepts (`npm start` makes one for its run). */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def'),
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

/** Reads config, or prints what is wrong and exits 1; in production, that one line alone. */
export function loadSandboxConfig(): SandboxConfig {
  try {
    return loadConfig(sandboxConfigSchema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const production = error.issues.some((issue) => issue.startsWith('NODE_ENV='));
    process.stderr.write(`${production ? `sandbox: ${PRODUCTION}` : error.message}\n`);
    process.exit(1);
  }
}
