import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where the sandbox may send a request (a webhook, a photo URL): this machine and the private
 * networks a compose network lives in. Never the internet, and never link-local addresses
 * (169.254.169.254 answers with cloud credentials on many hosts). IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`) count as the IPv4 address they carry.
 */
const privateRanges = new BlockList();
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6');

export const isPrivateAddress = (address: string): boolean => {
  const family = isIP(address);
  return family !== 0 && privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/** A host whose address lies outside this machine and its private networks. */
export class OutsideNetworkError extends Error {
  readonly address: string;

  constructor(address: string) {
    super(`${address} is outside this machine and its private networks`);
    this.name = 'OutsideNetworkError';
    this.address = address;
  }
}

/** Every address a host name resolves to (the system resolver, as a connection would use it). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The addresses of `hostname` (a name or an IP literal), when every one of them is private;
 * throws `OutsideNetworkError` for the first that is not, or the resolver's error.
 */
export async function privateAddresses(hostname: string, resolve = systemResolve): Promise<LookupAddress[]> {
  const host = bare(hostname);
  const family = isIP(host);
  const addresses = family === 0 ? await resolve(host) : [{ address: host, family }];
  const outside = addresses.find(({ address }) => !isPrivateAddress(address));
  if (outside) throw new OutsideNetworkError(outside.address);
  return addresses;
}

/** A node:net lookup that connects only to addresses it has checked, so a name cannot change between check and use. */
function checkedLookup(resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    privateAddresses(hostname, resolve).then(
      (addresses) => {
        const [first] = addresses;
        if (options.all) callback(null, addresses);
        else if (first) callback(null, first.address, first.family);
        else callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), '', 0),
    );
  };
}

export interface PrivateRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A larger answer is cut off and fails the request. */
  maxBytes?: number;
  resolve?: Resolve;
}

export interface PrivateResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP(S) request to a private address, redirects not followed (a redirect could lead
 * anywhere). Host names are resolved and checked at connect time; IP literals before it.
 */
export async function requestPrivate(url: URL, options: PrivateRequest = {}): Promise<PrivateResponse> {
  const resolve = options.resolve ?? systemResolve;
  if (isIP(bare(url.hostname)) !== 0) await privateAddresses(url.hostname);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  return new Promise((resolvePromise, reject) => {
    const request = send(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        lookup: checkedLookup(resolve),
        agent: false,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > maxBytes) response.destroy(new Error(`the answer is larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.once('error', reject);
        response.once('end', () =>
          resolvePromise({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.once('error', reject);
    request.end(options.body);
  });
}
