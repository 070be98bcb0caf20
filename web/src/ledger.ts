// The audit ledger checked in the browser: an entry's leaf hashed as RFC 6962 does
// (SHA-256 of 0x00 and the leaf's bytes), and its inclusion proof folded up to the signed
// checkpoint's root (RFC 9162, 2.1.3.2), with the browser's own SHA-256 (WebCrypto). The server
// is trusted for nothing but the bytes it sends.

export interface Checkpoint { origin: string; size: number; root: string; note: string; created_at: string }
export interface LedgerEntry {
  index: number | null; kind: string; subject: string; actor: string; recorded_at: string
  details: Record<string, unknown>; leaf: string; leaf_hash: string
}
export interface InclusionProof { index: number; size: number; leaf_hash: string; hashes: string[] }

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) { joined.set(part, at); at += part.length }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined))
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

export async function leafHash(leaf: string): Promise<Uint8Array> {
  return sha256(new Uint8Array([0]), new TextEncoder().encode(leaf))
}

// Whether `leaf`, at `proof.index` of a tree of `proof.size`, is in the tree whose root is `root`.
export async function verifyInclusion(leaf: string, proof: InclusionProof, root: string): Promise<boolean> {
  let fn = proof.index
  let sn = proof.size - 1
  if (fn > sn) return false
  let r = await leafHash(leaf)
  const node = new Uint8Array([1])
  for (const encoded of proof.hashes) {
    const p = fromBase64(encoded)
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(node, p, r)
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
    } else {
      r = await sha256(node, r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && equal(r, fromBase64(root))
}
