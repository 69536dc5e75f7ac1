/**
 * An HttpClient wired for tests: loopback allowed (127.0.0.0/8), the receivers' resolve rules, the test CA.
 */
import { HttpClient, type HttpClientOptions } from '../../src/dispatch/http-client.js';
import type { Receiver } from './receiver.js';
import { testCa } from './tls.js';

export function loopbackHttpClient(
  receivers: Receiver[],
  extra: Partial<HttpClientOptions> = {},
): HttpClient {
  return new HttpClient({
    allowedCidrs: ['127.0.0.0/8'],
    resolve: receivers.map((r) => r.resolveRule),
    caFile: testCa().caFile,
    ...extra,
  });
}
