/**
 * Test PKI made with the openssl CLI, once per process: a CA and a server certificate it signed (EC P-256,
 * SHA-256, serverAuth) for `*.test`, `*.loopback.test`, `localhost`, 127.0.0.1 and ::1.
 *
 * Node refuses wildcards directly under a top-level domain (`*.test` does not match `a.test`, RFC 6125), so
 * test hosts that need this certificate should be `<name>.loopback.test` (what startReceiver uses).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** Path of the CA certificate (PEM), for DISPATCH_CA_FILE / HttpClientOptions.caFile. */
  caFile: string;
  caPem: string;
  /** Server certificate (PEM) signed by the CA. */
  cert: string;
  /** Its private key (PEM). */
  key: string;
}

let cached: TestCa | undefined;

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') {
      throw new Error('the openssl CLI is needed to make test certificates (apt-get install openssl)');
    }
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString() ?? String(err)}`);
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function serial(): string {
  return `0x${randomBytes(16).toString('hex').replace(/^./, '1')}`;
}

export function testCa(): TestCa {
  if (cached) return cached;
  const dir = tempDir('webhooks-test-ca-');
  openssl(
    [
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '7',
      '-sha256',
      '-subj',
      '/CN=access-webhooks test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(
    ['req', '-new', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
    dir,
  );
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:*.test,DNS:*.loopback.test,DNS:localhost,IP:127.0.0.1,IP:::1',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      serial(),
      '-days',
      '7',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  const caFile = join(dir, 'ca.pem');
  cached = {
    caFile,
    caPem: readFileSync(caFile, 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
  };
  return cached;
}

/** A self-signed server certificate for the same names, signed by nobody the tests trust (TLS failures). */
export function untrustedCert(): { cert: string; key: string } {
  const dir = tempDir('webhooks-test-selfsigned-');
  openssl(
    [
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '7',
      '-sha256',
      '-subj',
      '/CN=untrusted',
      '-addext',
      'subjectAltName=DNS:*.test,DNS:*.loopback.test,DNS:localhost,IP:127.0.0.1',
      '-addext',
      'extendedKeyUsage=serverAuth',
    ],
    dir,
  );
  return {
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
  };
}
