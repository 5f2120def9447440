// Verifies one disclosure record in the browser, trusting nothing but the log's first public key:
// RFC 8785 canonical JSON of the record -> RFC 9162 leaf hash -> inclusion path -> root, and the
// Ed25519 signature of the signed tree head over that root by the key in force at its size,
// followed from the first key through the log's key rotation records. Web Crypto only; no library.
const button = document.getElementById('verify');
const result = document.getElementById('verify-result');

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const bytes = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) out.set(p, (i += p.length) - p.length);
  return out;
};
const sha256 = async (...parts) => hex(await crypto.subtle.digest('SHA-256', concat(...parts)));

// RFC 8785: keys sorted by UTF-16 code units, ES number and string serialisation (JSON.stringify).
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(',')}}`;
}

// RFC 9162 §2.1.3.2.
async function rootFromPath(leaf, index, size, path) {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(new Uint8Array([1]), bytes(p), bytes(r));
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = await sha256(new Uint8Array([1]), bytes(r), bytes(p));
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r : null;
}

const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const der = (pem) => fromBase64(pem.replace(/-----[^-]+-----|\s/g, ''));
const record = async (seq) => {
  const page = await fetch(
    seq > 0 ? `/public/v1/records?after=${seq - 1}&limit=1` : '/public/v1/records?limit=1',
  ).then((r) => r.json());
  return page.items[0];
};
const inTree = async (r, head) => {
  const proof = await fetch(`/public/v1/log/inclusion?seq=${r.seq}&treeSize=${head.treeSize}`).then((x) =>
    x.json(),
  );
  const leaf = await sha256(new Uint8Array([0]), new TextEncoder().encode(canonical(r)));
  return (await rootFromPath(leaf, r.seq, head.treeSize, proof.path)) === head.rootHash;
};
const signedBy = async (pem, signature, value) => {
  const key = await crypto.subtle.importKey('spki', der(pem), { name: 'Ed25519' }, false, ['verify']);
  const bytes = new TextEncoder().encode(canonical(value));
  return crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64(signature), bytes);
};
// A key's id is the SHA-256 of its SPKI DER.
const idOf = async (pem) => sha256(der(pem));

// The key in force for `head`, followed from the log's FIRST key through the key rotation records
// in the log, each proved in this very tree and signed by the key it retires. The server's key list
// only says where to look: a rotation it left out, or invented, makes the check fail.
async function keyInForce(head) {
  const { items } = await fetch('/public/v1/log/keys').then((r) => r.json());
  let current = items[0];
  if (current.keyId !== (await idOf(current.publicKey))) return null;
  for (const next of items.slice(1)) {
    if (next.fromTreeSize > head.treeSize) break;
    const r = await record(next.announcedAt);
    const rotation = r?.type === 'key_rotation' ? r.rotation : null;
    if (
      !rotation ||
      r.seq !== next.announcedAt ||
      rotation.fromTreeSize !== r.seq + 1 ||
      rotation.previousKey.keyId !== current.keyId ||
      rotation.nextKey.keyId !== (await idOf(rotation.nextKey.publicKey)) ||
      !(await inTree(r, head)) ||
      !(await signedBy(current.publicKey, rotation.signature, {
        fromTreeSize: rotation.fromTreeSize,
        keyId: rotation.nextKey.keyId,
        previousKeyId: current.keyId,
        publicKey: rotation.nextKey.publicKey,
        purpose: 'openccs-log-key-rotation-v1',
      }))
    )
      return null;
    current = rotation.nextKey;
  }
  return current;
}

async function verify() {
  const seq = Number(button.dataset.seq);
  const treeSize = Number(button.dataset.treeSize);
  const [mine, proof] = await Promise.all([
    record(seq),
    fetch(`/public/v1/log/inclusion?seq=${seq}&treeSize=${treeSize}`).then((r) => r.json()),
  ]);
  const leaf = await sha256(new Uint8Array([0]), new TextEncoder().encode(canonical(mine)));
  const root = await rootFromPath(leaf, seq, proof.treeSize, proof.path);
  const head = proof.treeHead;
  const key = await keyInForce(head);
  if (!key || head.keyId !== key.keyId) return false;
  const signatureOk = await signedBy(key.publicKey, head.signature, {
    keyId: head.keyId,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    treeSize: head.treeSize,
  });
  return mine.seq === seq && root === head.rootHash && signatureOk;
}

if (button && result && crypto.subtle) {
  button.hidden = false;
  button.addEventListener('click', async () => {
    result.textContent = '…';
    let ok = false;
    try {
      ok = await verify();
    } catch {
      ok = false;
    }
    result.textContent = ok ? button.dataset.ok : button.dataset.fail;
    result.dataset.verified = String(ok);
  });
}
