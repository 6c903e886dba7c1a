import { AppError } from '../errors/index.ts';

/**
 * Reads a request's body into memory, refusing it with the contract's 413 as soon as more than
 * `maxBytes` have arrived: an oversized body is never buffered whole, whatever its headers say.
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AppError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
