import { OutsideNetworkError, privateAddresses } from '../../net/private-network.ts';
import type { UpdateType } from '../../world/update-queue.ts';
import { Described, type Method } from '../context.ts';
import { badRequest, conflict } from '../errors.ts';
import type { Params } from '../params.ts';

const WEBHOOK_ACTIVE =
  "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const TERMINATED = 'terminated by other getUpdates request; make sure that only one bot instance is running';
const SECRET = /^[\w-]{1,256}$/;

function allowedUpdatesFrom(params: Params): UpdateType[] | undefined {
  const raw = params.json('allowed_updates', "can't parse allowed updates JSON object");
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw badRequest("can't parse allowed updates JSON object");
  return raw.filter((type): type is UpdateType => typeof type === 'string');
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const intOr = (value: number | 'invalid' | undefined, fallback: number) =>
  typeof value === 'number' ? value : fallback;

export const getUpdates: Method = async ({ world, params, signal }) => {
  if (world.webhook.active) throw conflict(WEBHOOK_ACTIVE);
  const offset = params.int('offset');
  if (typeof offset === 'number') world.updates.confirm(offset);
  world.updates.setAllowed(allowedUpdatesFrom(params));
  const result = await world.updates.poll({
    limit: clamp(intOr(params.int('limit'), 100), 1, 100),
    timeoutMs: Math.max(0, intOr(params.int('timeout'), 0)) * 1000,
    signal,
  });
  if ('conflict' in result) throw conflict(result.conflict === 'terminated' ? TERMINATED : WEBHOOK_ACTIVE);
  return result.updates;
};

/**
 * Telegram posts only to public addresses; the sandbox, the other way round, only to this machine
 * and its private networks (a compose network), so nobody can make it send requests elsewhere.
 */
async function checkWebhookHost(url: URL): Promise<void> {
  try {
    await privateAddresses(url.hostname);
  } catch (error) {
    if (error instanceof OutsideNetworkError) {
      throw badRequest(
        `bad webhook: IP address ${error.address} is outside this machine and its private networks`,
      );
    }
    throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  }
}

export const setWebhook: Method = async (context) => {
  const { world, params, token } = context;
  const url = params.string('url') ?? '';
  if (url === '') return deleteWebhook(context);
  // Telegram wants HTTPS; a local sandbox posts to local http servers too.
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw badRequest('bad webhook: invalid webhook URL specified');
  }
  await checkWebhookHost(new URL(url));
  const secretToken = params.string('secret_token');
  if (secretToken !== undefined && secretToken !== '' && !SECRET.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = clamp(intOr(params.int('max_connections'), 40), 1, 100);
  if (params.bool('drop_pending_updates')) world.updates.drop();
  world.updates.setAllowed(allowedUpdatesFrom(params));
  // A held getUpdates cannot go on once updates go to the webhook.
  world.updates.release({ conflict: 'webhook' });
  const same = world.webhook.info().url === url;
  world.webhook.set({ url, maxConnections, token, ...(secretToken ? { secretToken } : {}) });
  return new Described(true, same ? 'Webhook is already set' : 'Webhook was set');
};

export const deleteWebhook: Method = ({ world, params }) => {
  if (params.bool('drop_pending_updates')) world.updates.drop();
  const wasSet = world.webhook.active;
  world.webhook.delete();
  return new Described(true, wasSet ? 'Webhook was deleted' : 'Webhook is already deleted');
};

export const getWebhookInfo: Method = ({ world }) => world.webhook.info();
