import type { ResponseParameters } from 'grammy/types';

/** A Bot API failure, answered as `{ok:false,error_code,description[,parameters]}`. */
export class TelegramError extends Error {
  readonly code: number;
  readonly description: string;
  readonly parameters?: ResponseParameters;

  constructor(code: number, description: string, parameters?: ResponseParameters) {
    super(description);
    this.name = 'TelegramError';
    this.code = code;
    this.description = description;
    if (parameters) this.parameters = parameters;
  }

  toJSON() {
    return {
      ok: false,
      error_code: this.code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (detail: string) => new TelegramError(400, `Bad Request: ${detail}`);
export const conflict = (detail: string) => new TelegramError(409, `Conflict: ${detail}`);
export const unauthorized = () => new TelegramError(401, 'Unauthorized');
export const notFound = () => new TelegramError(404, 'Not Found');

export const chatNotFound = () => badRequest('chat not found');

export const blockedByUser = () => new TelegramError(403, 'Forbidden: bot was blocked by the user');
export const tooManyRequests = (retryAfter: number) =>
  new TelegramError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
