import type { Logger } from 'pino';
import type { AccessClaims } from '../auth/claims.ts';

/** Context variables every service handler can rely on. `user` is set by `requireAuth`. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    user: AccessClaims;
  };
}
