// How the server speaks TLS when it serves HTTPS itself (TLS_CERT / TLS_KEY): TLS 1.3, or TLS 1.2
// with ECDHE key exchange and an AEAD cipher only (forward secrecy, no CBC); and how every answer to
// a request that came over HTTPS tells browsers to keep to HTTPS for a year (HSTS).
import type { FastifyInstance } from 'fastify';
import type { SecureContextOptions, TlsOptions } from 'node:tls';

export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** TLS 1.3's suites are all AEAD with ephemeral keys; they are named so that a list is complete. */
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
/** TLS 1.2: ECDHE with ECDSA or RSA certificates, AES-GCM or ChaCha20-Poly1305 (Mozilla's intermediate list). */
const TLS12_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

/** The protocol options of the HTTPS server: no TLS 1.1 or older, no suite outside the lists above. */
export const TLS_PROTOCOL_OPTIONS = {
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_SUITES, ...TLS12_SUITES].join(':'),
  honorCipherOrder: true,
} as const satisfies SecureContextOptions & TlsOptions;

/**
 * Puts HSTS on the answers of requests that came over HTTPS. A server speaking TLS itself sets it
 * on every answer before fastify sees the request (errors, 404s and URLs the router cannot read
 * included). A server behind a proxy that ended TLS sets it where a trusted proxy says the request
 * came over HTTPS (X-Forwarded-Proto); over plain HTTP it is never sent.
 */
export function installStrictTransportSecurity(app: FastifyInstance, servesTls: boolean): void {
  if (servesTls) {
    app.server.prependListener('request', (_request, response) => {
      response.setHeader('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    });
    return;
  }
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  });
}
