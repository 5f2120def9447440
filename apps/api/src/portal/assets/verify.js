// Verifies one disclosure record in the browser, trusting nothing but the log's public key:
// RFC 8785 canonical JSON of the record -> RFC 9162 leaf hash -> inclusion path -> root, and the
// Ed25519 signature of the signed tree head over that root. Web Crypto only; no library.
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

async function verify() {
  const seq = Number(button.dataset.seq);
  const treeSize = Number(button.dataset.treeSize);
  const [records, proof, log] = await Promise.all([
    fetch(seq > 0 ? `/public/v1/records?after=${seq - 1}&limit=1` : '/public/v1/records?limit=1').then((r) =>
      r.json(),
    ),
    fetch(`/public/v1/log/inclusion?seq=${seq}&treeSize=${treeSize}`).then((r) => r.json()),
    fetch('/public/v1/log').then((r) => r.json()),
  ]);
  const record = records.items[0];
  const leaf = await sha256(new Uint8Array([0]), new TextEncoder().encode(canonical(record)));
  const root = await rootFromPath(leaf, seq, proof.treeSize, proof.path);
  const head = proof.treeHead;
  const der = Uint8Array.from(atob(log.publicKey.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
  const signed = new TextEncoder().encode(
    canonical({
      keyId: head.keyId,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
      treeSize: head.treeSize,
    }),
  );
  const signature = Uint8Array.from(atob(head.signature), (c) => c.charCodeAt(0));
  const signatureOk = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, signed);
  return record.seq === seq && root === head.rootHash && signatureOk;
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
