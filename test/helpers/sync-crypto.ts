import { createHash, KeyObject, sign, verify } from 'node:crypto';
import { beforeAll, beforeEach, vi } from 'vitest';

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

const bytes = (data: BufferSource): Buffer =>
  ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    : Buffer.from(data);

const toArrayBuffer = (buffer: Buffer): ArrayBuffer =>
  buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;

/**
 * WebCrypto whose answers come in the same turn (resolved promises): with fake timers, a test
 * then settles by flushing promises alone, never waiting for Node's crypto thread pool. The
 * keys are real (made by WebCrypto before the tests: a pool handed out in turn, private keys not
 * extractable) and so are the signatures (ES256 by node:crypto, which reads a non-extractable
 * CryptoKey through `KeyObject.from`). Only ECDSA P-256 and SHA-256 are covered: what DPoP uses.
 */
export function installSyncCrypto(poolSize = 24) {
  const pool: CryptoKeyPair[] = [];
  let next = 0;
  const subtle = globalThis.crypto.subtle;
  beforeAll(async () => {
    for (let i = 0; i < poolSize; i++) {
      pool.push((await subtle.generateKey(P256, false, ['sign', 'verify'])) as CryptoKeyPair);
    }
  });
  beforeEach(() => {
    vi.spyOn(subtle, 'generateKey').mockImplementation((async () => {
      const pair = pool[next++ % pool.length];
      if (!pair) throw new Error('The key pool is empty');
      return pair;
    }) as unknown as typeof subtle.generateKey);
    vi.spyOn(subtle, 'exportKey').mockImplementation((async (format: string, key: CryptoKey) => {
      if (format !== 'jwk' || !key.extractable) {
        throw new DOMException('key is not extractable', 'InvalidAccessError');
      }
      return KeyObject.from(key).export({ format: 'jwk' });
    }) as unknown as typeof subtle.exportKey);
    vi.spyOn(subtle, 'digest').mockImplementation((async (_: unknown, data: BufferSource) =>
      toArrayBuffer(createHash('sha256').update(bytes(data)).digest())) as typeof subtle.digest);
    vi.spyOn(subtle, 'sign').mockImplementation((async (
      _: unknown,
      key: CryptoKey,
      data: BufferSource,
    ) =>
      toArrayBuffer(
        sign('sha256', bytes(data), { key: KeyObject.from(key), dsaEncoding: 'ieee-p1363' }),
      )) as typeof subtle.sign);
    vi.spyOn(subtle, 'verify').mockImplementation((async (
      _: unknown,
      key: CryptoKey,
      signature: BufferSource,
      data: BufferSource,
    ) =>
      verify(
        'sha256',
        bytes(data),
        { key: KeyObject.from(key), dsaEncoding: 'ieee-p1363' },
        bytes(signature),
      )) as typeof subtle.verify);
  });
}
