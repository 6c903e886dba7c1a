import type { IncomingMessage } from 'node:http';
import { etagMatches, type CachedBody } from '../cache/cached-body.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import { cachedHeaders, JSON_TYPE } from '../cache/cached-response.ts';
import {
  CATEGORIES_PATH,
  categoriesKey,
  ITEM_PATH,
  itemKey,
  langQuery,
  LIST_PATH,
  listKey,
  listQuery,
} from '../cache/read-keys.ts';
import { resolveLang } from '../routes/lang.ts';
import { plainProductId } from '../routes/schemas.ts';
import { prepareHeaders, type FastAnswer, type FastHandler, type PreparedHeaders } from './fast-path.ts';

const ITEM_PREFIX = '/products/';

interface Prepared {
  ok: PreparedHeaders;
  notModified: PreparedHeaders;
}

// Laid out once per cached body; a new cache version brings new bodies and lets these go.
const prepared = new WeakMap<CachedBody, Prepared>();

function preparedFor(entry: CachedBody): Prepared {
  let found = prepared.get(entry);
  if (!found) {
    const own = cachedHeaders(entry.etag, true);
    found = {
      ok: prepareHeaders({ ...own, 'Content-Type': JSON_TYPE }, entry.body.length),
      notModified: prepareHeaders(own),
    };
    prepared.set(entry, found);
  }
  return found;
}

/** The cache key and route of a read the fast path may answer: only queries Hono has validated. */
function readOf(path: string, query: string, req: IncomingMessage) {
  const acceptLanguage = req.headers['accept-language'];
  if (path === LIST_PATH) {
    const known = listQuery.known(query);
    return known && { route: LIST_PATH, key: listKey(known, resolveLang(known.lang, acceptLanguage)) };
  }
  const id = path.startsWith(ITEM_PREFIX) ? plainProductId(path.slice(ITEM_PREFIX.length)) : undefined;
  if (id === undefined && path !== CATEGORIES_PATH) return undefined;
  const known = langQuery.known(query);
  if (!known) return undefined;
  const lang = resolveLang(known.lang, acceptLanguage);
  return id === undefined
    ? { route: CATEGORIES_PATH, key: categoriesKey(lang) }
    : { route: ITEM_PATH, key: itemKey(id, lang) };
}

/**
 * Cached reads answered before Hono: an in-process hit is sent as its stored bytes with headers
 * laid out once, the response Hono's route would give byte for byte (`X-Cache: HIT`, ETag, 304
 * on `If-None-Match`). A miss, an unvalidated query or anything else is left to Hono.
 */
export function fastReads(cache: ResponseCache): FastHandler {
  return (path, query, req): FastAnswer | undefined => {
    const read = readOf(path, query, req);
    const found = read && cache.peek(read.key);
    if (!read || !found) return undefined;
    const headers = preparedFor(found.entry);
    return etagMatches(req.headers['if-none-match'], found.entry.etag)
      ? { status: 304, route: read.route, headers: headers.notModified }
      : { status: 200, route: read.route, headers: headers.ok, body: found.entry.body };
  };
}
