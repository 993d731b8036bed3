import type { generate as Generate } from "selfsigned";

/** A certificate and its private key, PEM. */
export interface TlsCredentials {
  cert: string;
  key: string;
}

/**
 * Generates a self-signed certificate for the loopback names (`localhost`, `127.0.0.1`, `::1`), valid for 30 days.
 * Clients trust it by adding `cert` to their CA list: `NODE_EXTRA_CA_CERTS=<file>` for Node processes, or the
 * `ca` option of a TLS/WebSocket client.
 *
 * @example
 * const { cert, key } = await selfSignedCertificate();
 */
export async function selfSignedCertificate(): Promise<TlsCredentials> {
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  // Loaded only for a TLS server: `agent dev` and the tests on ws:// never pay for it.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  } as Parameters<typeof Generate>[1]);
  return { cert: pems.cert, key: pems.private };
}
