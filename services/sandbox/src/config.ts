import { baseConfigSchema, loadConfigOrExit, ports } from '@shop/shared';
import type { z } from 'zod';

export const sandboxConfigSchema = baseConfigSchema.extend({ SANDBOX_PORT: ports.SANDBOX_PORT });

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

export const loadSandboxConfig = () => loadConfigOrExit(sandboxConfigSchema);
