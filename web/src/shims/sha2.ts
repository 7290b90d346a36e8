// SHA-256 and SHA-512 (FIPS 180-4), one-shot, for the browser build of the record's
// verification code (which asks node:crypto for digests synchronously; WebCrypto's
// digest is asynchronous). Messages here are small: checkpoints, proof nodes, entries.
//
// The round constants and initial values are derived rather than written out: they are
// the first bits of the fractional parts of the square and cube roots of the first
// primes, computed once with integer roots in BigInt.

function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

/** floor(x^(1/k)) for a non-negative BigInt, by Newton's method from above. */
function iroot(x: bigint, k: bigint): bigint {
  if (x < 2n) return x;
  let r = 1n << (BigInt(x.toString(2).length) / k + 1n);
  for (;;) {
    const next = ((k - 1n) * r + x / r ** (k - 1n)) / k;
    if (next >= r) return r;
    r = next;
  }
}

/** The first `bits` bits of the fractional part of p^(1/k), for the first n primes. */
function fractions(n: number, k: bigint, bits: bigint): bigint[] {
  const mask = (1n << bits) - 1n;
  return primes(n).map((p) => iroot(BigInt(p) << (bits * k), k) & mask);
}

const K256 = Uint32Array.from(fractions(64, 3n, 32n), Number);
const H256 = Uint32Array.from(fractions(8, 2n, 32n), Number);
// SHA-512 words as pairs of 32-bit halves: [hi0, lo0, hi1, lo1, …].
const split = (xs: bigint[]) => Uint32Array.from(xs.flatMap((x) => [Number(x >> 32n), Number(x & 0xffffffffn)]));
const K512 = split(fractions(80, 3n, 64n));
const H512 = split(fractions(8, 2n, 64n));

/** The message with its padding: 0x80, zeros, and the bit length in `lenBytes` bytes. */
function pad(data: Uint8Array, block: number, lenBytes: number): DataView {
  const total = Math.ceil((data.length + 1 + lenBytes) / block) * block;
  const buf = new Uint8Array(total);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  // Bit length as a 64-bit big-endian number in the last 8 bytes (the rest of a
  // 128-bit length stays zero: messages here are far below 2^53 bits).
  const bits = data.length * 8;
  view.setUint32(total - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(total - 4, bits >>> 0);
  return view;
}

export function sha256(data: Uint8Array): Uint8Array {
  const m = pad(data, 64, 8);
  const h = H256.slice();
  const w = new Uint32Array(64);
  for (let off = 0; off < m.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = m.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15];
      const b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K256[i] + w[i]) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]);
  return out;
}

// 64-bit helpers on (hi, lo) halves. Rotations by n < 32 and by n >= 32 (swap halves).
function rotrHi(hi: number, lo: number, n: number): number {
  return n < 32 ? (hi >>> n) | (lo << (32 - n)) : (lo >>> (n - 32)) | (hi << (64 - n));
}
function rotrLo(hi: number, lo: number, n: number): number {
  return n < 32 ? (lo >>> n) | (hi << (32 - n)) : (hi >>> (n - 32)) | (lo << (64 - n));
}
function shrHi(hi: number, n: number): number {
  return hi >>> n;
}
function shrLo(hi: number, lo: number, n: number): number {
  return (lo >>> n) | (hi << (32 - n));
}

export function sha512(data: Uint8Array): Uint8Array {
  const m = pad(data, 128, 16);
  const h = H512.slice();
  const w = new Uint32Array(160);
  const s = new Uint32Array(16); // working variables a..h as hi/lo pairs
  for (let off = 0; off < m.byteLength; off += 128) {
    for (let i = 0; i < 32; i++) w[i] = m.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      // σ0(w[i-15]) = rotr1 ^ rotr8 ^ shr7; σ1(w[i-2]) = rotr19 ^ rotr61 ^ shr6
      const ah = w[(i - 15) * 2];
      const al = w[(i - 15) * 2 + 1];
      const s0h = rotrHi(ah, al, 1) ^ rotrHi(ah, al, 8) ^ shrHi(ah, 7);
      const s0l = rotrLo(ah, al, 1) ^ rotrLo(ah, al, 8) ^ shrLo(ah, al, 7);
      const bh = w[(i - 2) * 2];
      const bl = w[(i - 2) * 2 + 1];
      const s1h = rotrHi(bh, bl, 19) ^ rotrHi(bh, bl, 61) ^ shrHi(bh, 6);
      const s1l = rotrLo(bh, bl, 19) ^ rotrLo(bh, bl, 61) ^ shrLo(bh, bl, 6);
      // w[i] = w[i-16] + s0 + w[i-7] + s1, with carries from the low halves
      const lo = (w[(i - 16) * 2 + 1] >>> 0) + (s0l >>> 0) + (w[(i - 7) * 2 + 1] >>> 0) + (s1l >>> 0);
      const hi = w[(i - 16) * 2] + s0h + w[(i - 7) * 2] + s1h + Math.floor(lo / 2 ** 32);
      w[i * 2] = hi >>> 0;
      w[i * 2 + 1] = lo >>> 0;
    }
    s.set(h);
    for (let i = 0; i < 80; i++) {
      const ah = s[0],
        al = s[1],
        bh = s[2],
        bl = s[3],
        ch = s[4],
        cl = s[5],
        dh = s[6],
        dl = s[7];
      const eh = s[8],
        el = s[9],
        fh = s[10],
        fl = s[11],
        gh = s[12],
        gl = s[13],
        hh = s[14],
        hl = s[15];
      // Σ1(e) = rotr14 ^ rotr18 ^ rotr41; Ch(e,f,g); Σ0(a) = rotr28 ^ rotr34 ^ rotr39; Maj(a,b,c)
      const S1h = rotrHi(eh, el, 14) ^ rotrHi(eh, el, 18) ^ rotrHi(eh, el, 41);
      const S1l = rotrLo(eh, el, 14) ^ rotrLo(eh, el, 18) ^ rotrLo(eh, el, 41);
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      const t1l = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + K512[i * 2 + 1] + w[i * 2 + 1];
      const t1h = hh + S1h + chh + K512[i * 2] + w[i * 2] + Math.floor(t1l / 2 ** 32);
      const S0h = rotrHi(ah, al, 28) ^ rotrHi(ah, al, 34) ^ rotrHi(ah, al, 39);
      const S0l = rotrLo(ah, al, 28) ^ rotrLo(ah, al, 34) ^ rotrLo(ah, al, 39);
      const mjh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const mjl = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2l = (S0l >>> 0) + (mjl >>> 0);
      const t2h = S0h + mjh + Math.floor(t2l / 2 ** 32);
      // h=g, g=f, f=e, e=d+t1, d=c, c=b, b=a, a=t1+t2
      s[14] = gh;
      s[15] = gl;
      s[12] = fh;
      s[13] = fl;
      s[10] = eh;
      s[11] = el;
      const el2 = (dl >>> 0) + (t1l >>> 0);
      s[8] = dh + t1h + Math.floor(el2 / 2 ** 32);
      s[9] = el2;
      s[6] = ch;
      s[7] = cl;
      s[4] = bh;
      s[5] = bl;
      s[2] = ah;
      s[3] = al;
      const al2 = (t1l >>> 0) + (t2l >>> 0);
      s[0] = t1h + t2h + Math.floor(al2 / 2 ** 32);
      s[1] = al2;
    }
    for (let i = 0; i < 16; i += 2) {
      const lo = h[i + 1] + s[i + 1];
      h[i] = h[i] + s[i] + Math.floor(lo / 2 ** 32);
      h[i + 1] = lo;
    }
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(i * 4, h[i]);
  return out;
}
