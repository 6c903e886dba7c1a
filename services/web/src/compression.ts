import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { compress } from 'hono/compress';
import { parseAccept } from 'hono/utils/accept';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Smaller answers gain less from compression than it costs (the size Hono's compress also skips). */
const THRESHOLD_BYTES = 1024;

/**
 * How a body is compressed: `static` for files compressed once at start (as small as possible),
 * `dynamic` for pages compressed as they are rendered (a fraction of a millisecond each).
 */
export type Effort = 'static' | 'dynamic';

const settings = {
  static: { brotli: 11, gzip: 9 },
  dynamic: { brotli: 5, gzip: 6 },
} as const;

/**
 * The content coding for this request by its Accept-Encoding: brotli (the smaller) unless gzip
 * is preferred by weight, gzip, else none. Browsers list gzip first, with the same weight.
 */
export function encodingFor(c: Context): Encoding {
  const accepted = parseAccept(c.req.header('Accept-Encoding') ?? '');
  const anything = accepted.find(({ type }) => type === '*')?.q ?? 0;
  const weight = (name: string) => accepted.find(({ type }) => type.toLowerCase() === name)?.q ?? anything;
  const [br, gzip] = [weight('br'), weight('gzip')];
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

/**
 * A body kept with its compressed forms, each made on first use and kept as long as the body:
 * an asset for the process's life, a cached page until it is rendered again.
 */
export class CompressedBody {
  readonly #identity: Uint8Array<ArrayBuffer>;
  readonly #effort: Effort;
  readonly #encoded = new Map<Encoding, Uint8Array<ArrayBuffer>>();

  constructor(body: string, effort: Effort) {
    this.#identity = Buffer.from(body);
    this.#effort = effort;
  }

  /** The encoding the body is sent with: identity when it is too small to gain anything. */
  encodingFor(c: Context): Encoding {
    return this.#identity.byteLength < THRESHOLD_BYTES ? 'identity' : encodingFor(c);
  }

  bytes(encoding: Encoding): Uint8Array<ArrayBuffer> {
    if (encoding === 'identity') return this.#identity;
    let encoded = this.#encoded.get(encoding);
    if (!encoded) {
      const { brotli, gzip } = settings[this.#effort];
      encoded =
        encoding === 'br'
          ? brotliCompressSync(this.#identity, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: brotli,
                [constants.BROTLI_PARAM_SIZE_HINT]: this.#identity.byteLength,
              },
            })
          : gzipSync(this.#identity, { level: gzip });
      this.#encoded.set(encoding, encoded);
    }
    return encoded;
  }

  /**
   * Answers with the body in `encoding` (the request's best unless given): `Content-Encoding`,
   * `Content-Length` and `Vary: Accept-Encoding` set, `headers` added (their `Vary` kept first).
   */
  answer(
    c: Context,
    status: 200,
    headers: Record<string, string>,
    encoding: Encoding = this.encodingFor(c),
  ): Response {
    const sent: Record<string, string> = { ...headers };
    sent.Vary = headers.Vary ? `${headers.Vary}, Accept-Encoding` : 'Accept-Encoding';
    if (encoding !== 'identity') sent['Content-Encoding'] = encoding;
    const bytes = this.bytes(encoding);
    // Its length also tells `compressAnswers` that an identity body too small to gain is final.
    sent['Content-Length'] = String(bytes.byteLength);
    return c.body(bytes, status, sent);
  }
}

/**
 * Compresses (gzip) every other text answer of 1 KiB or more on its way out, as the browser
 * accepts it: an answer that already has a `Content-Encoding` (a `CompressedBody`'s) is left as is.
 */
export const compressAnswers = () => compress({ encoding: 'gzip', threshold: THRESHOLD_BYTES });
