// The sealed commitments an entry's statement names (design §2–3): a body that is itself
// `{sealed}` (a sealed talks item, a lone sealed report), and the `{sealed}` items of a
// `reports` or `findings` body, one commitment per report or finding.

import { sealedOf } from '../record/sealed.ts';

export function commitmentsOf(body: unknown): string[] {
  const out: string[] = [];
  const whole = sealedOf(body);
  if (whole !== undefined) out.push(whole);
  if (typeof body === 'object' && body !== null) {
    for (const field of ['reports', 'findings'] as const) {
      const items = (body as Record<string, unknown>)[field];
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        const s = sealedOf(item);
        if (s !== undefined) out.push(s);
      }
    }
  }
  return out;
}
