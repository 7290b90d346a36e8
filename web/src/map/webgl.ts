// maplibre-gl 6 draws with WebGL 2 only, and without it hangs silently instead of
// failing, so the page asks a throwaway canvas first and says plainly what is missing.
export type WebGLSupport = { ok: true } | { ok: false; reason: string };

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
  if (gl1) return { ok: false, reason: 'This browser offers WebGL 1 only; the map needs WebGL 2. Findings, talks and the record work without it.' };
  return {
    ok: false,
    reason:
      'WebGL is not available in this browser (switched off, or no graphics support), so the map cannot be drawn. Findings, talks and the record work without it.',
  };
}
