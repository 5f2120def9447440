/**
 * Signed tree heads: the log's size and root at a moment, signed with the log's Ed25519 key over
 * the canonical JSON of { keyId, rootHash, timestamp, treeSize }.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';

export interface SignedTreeHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  /** SHA-256 (hex) of the public key's SPKI DER. */
  readonly keyId: string;
  /** Ed25519 signature, base64. */
  readonly signature: string;
}

export function keyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function signedBytes(head: Omit<SignedTreeHead, 'signature'>): Buffer {
  return Buffer.from(
    canonicalize({
      keyId: head.keyId,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
      treeSize: head.treeSize,
    }) ?? '',
  );
}

export function signTreeHead(
  head: { treeSize: number; rootHash: string; timestamp: string },
  privateKey: KeyObject,
): SignedTreeHead {
  const unsigned = { ...head, keyId: keyId(createPublicKey(privateKey)) };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), privateKey).toString('base64') };
}

export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject): boolean {
  if (head.keyId !== keyId(publicKey)) return false;
  try {
    return verify(null, signedBytes(head), publicKey, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Reads an Ed25519 private key from PEM (PKCS#8), or from base64 of that PEM. */
export function parsePrivateKey(text: string): KeyObject {
  const pem = text.includes('BEGIN') ? text : Buffer.from(text, 'base64').toString('utf8');
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the log signing key must be an Ed25519 key');
  return key;
}

export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}
