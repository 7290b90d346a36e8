// maplibre-gl 6 draws with WebGL 2 only, and without it hangs silently instead of
// failing, so the page asks a throwaway canvas first and says plainly what is missing.
import type { MessageKey } from '../i18n/messages.ts';

export type WebGLSupport = { ok: true } | { ok: false; reason: Extract<MessageKey, 'map.webgl1' | 'map.noWebgl'> };

export function webglSupport(): WebGLSupport {
  const canvas = document.createElement('canvas');
  let gl2: unknown = null;
  let gl1: unknown = null;
  try {
    gl2 = canvas.getContext('webgl2');
    if (!gl2) gl1 = canvas.getContext('webgl');
  } catch {
    // Some browsers throw instead of returning null when WebGL is switched off.
  }
  if (gl2) return { ok: true };
  if (gl1) return { ok: false, reason: 'map.webgl1' };
  return { ok: false, reason: 'map.noWebgl' };
}
