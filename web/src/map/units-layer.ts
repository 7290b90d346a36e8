// The units, drawn by our own WebGL layer inside maplibre (a custom layer) instead of a
// GeoJSON source: handing maplibre 10,000 features every second makes it re-tile them
// in its worker and re-upload every bucket, which held the page near 1 frame a second.
// Here each unit is one point sprite (gl.POINTS) in a vertex buffer that keeps a slot
// per unit; an update rewrites only the slots that changed (one bufferSubData of their
// span) and asks for one repaint. Symbols come from an atlas (symbols.ts); a first pass
// draws halos for units in breach (pulsing red) and selected ones (black ring).
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibre } from 'maplibre-gl';
import { ALERT, BREACH, HIDDEN, SELECTED, STRIDE, UnitsBuffer } from './units-layer-buffer.ts';
import type { SymbolAtlas } from './symbols.ts';

const VERTEX = `#version 300 es
uniform mat4 u_matrix;
uniform float u_size;
uniform float u_cols;
uniform float u_pass;
in vec2 a_pos;
in float a_cell;
in float a_flags;
out vec2 v_cell;
flat out int v_flags;
void main() {
  int f = int(a_flags);
  // hidden units, and in the halo pass units without a halo, fall outside the clip volume
  if ((f & ${HIDDEN}) != 0 || (u_pass < 0.5 && (f & ${BREACH | SELECTED}) == 0)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 1.0;
    return;
  }
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
  float s = u_size * ((f & ${ALERT}) != 0 ? 1.7 : 1.0);
  gl_PointSize = u_pass < 0.5 ? s * 2.0 : s;
  v_cell = vec2(mod(a_cell, u_cols), floor(a_cell / u_cols));
  v_flags = f;
}`;

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_atlas;
uniform vec2 u_cells;
uniform float u_pass;
uniform float u_pulse;
in vec2 v_cell;
flat in int v_flags;
out vec4 color;
void main() {
  if (u_pass < 0.5) {
    float r = length(gl_PointCoord * 2.0 - 1.0);
    float a = smoothstep(1.0, 0.85, r) * smoothstep(0.3, 0.5, r);
    bool breach = (v_flags & ${BREACH}) != 0;
    vec3 c = breach ? vec3(0.86, 0.04, 0.1) : vec3(0.07, 0.07, 0.07);
    color = vec4(c, 1.0) * a * (breach ? u_pulse : 0.9);
  } else {
    // the atlas is uploaded premultiplied, as maplibre blends (ONE, ONE_MINUS_SRC_ALPHA)
    color = texture(u_atlas, (v_cell + gl_PointCoord) / u_cells);
  }
  if (color.a < 0.02) discard;
}`;

/** A unit's symbol size on screen, in CSS pixels, at a zoom: as the circles it replaces, a little larger to carry a frame. */
export function symbolSize(zoom: number): number {
  return Math.max(9, Math.min(30, 9 + (zoom - 5) * 2.2));
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const s = gl.createShader(type)!;
  gl.shaderSource(s, source);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`units layer shader: ${gl.getShaderInfoLog(s)}`);
  return s;
}

export class UnitsLayer implements CustomLayerInterface {
  readonly id = 'units-gl';
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;
  readonly buffer: UnitsBuffer;
  /** units submitted to the last draw call and not hidden: what the tests check against the posture */
  drawn = 0;
  private map?: MapLibre;
  private program?: WebGLProgram;
  private vao?: WebGLVertexArrayObject;
  private vbo?: WebGLBuffer;
  private texture?: WebGLTexture;
  private uniforms: Record<string, WebGLUniformLocation | null> = {};
  private maxPoint = 64;
  /** the last frame's world → clip matrix (float64, absolute world units) */
  private matrix?: Float64Array;
  private pulseTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly atlas: SymbolAtlas,
    origin: [number, number],
  ) {
    this.buffer = new UnitsBuffer(origin);
  }

  onAdd(map: MapLibre, gl: WebGL2RenderingContext): void {
    this.map = map;
    const p = gl.createProgram()!;
    gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`units layer program: ${gl.getProgramInfoLog(p)}`);
    this.program = p;
    for (const u of ['u_matrix', 'u_size', 'u_cols', 'u_pass', 'u_atlas', 'u_cells', 'u_pulse']) this.uniforms[u] = gl.getUniformLocation(p, u);
    this.vbo = gl.createBuffer()!;
    this.vao = gl.createVertexArray()!;
    gl.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.vbo);
    const attr = (name: string, size: number, offset: number) => {
      const loc = gl.getAttribLocation(p, name);
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, gl.FLOAT, false, STRIDE * 4, offset * 4);
    };
    attr('a_pos', 2, 0);
    attr('a_cell', 1, 2);
    attr('a_flags', 1, 3);
    gl.bindVertexArray(null);
    this.buffer.grew = true;

    this.texture = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, this.atlas.canvas);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    const range = gl.getParameter(gl.ALIASED_POINT_SIZE_RANGE) as Float32Array;
    this.maxPoint = range?.[1] ?? 64;
  }

  onRemove(_map: MapLibre, gl: WebGL2RenderingContext): void {
    this.pulse(false);
    if (this.vbo) gl.deleteBuffer(this.vbo);
    if (this.vao) gl.deleteVertexArray(this.vao);
    if (this.texture) gl.deleteTexture(this.texture);
    if (this.program) gl.deleteProgram(this.program);
    this.map = undefined;
  }

  /** The buffer changed (after buffer.begin/put/end): draw it in the next frame. */
  changed(): void {
    let halos = false;
    for (let s = 0; s < this.buffer.size && !halos; s++) halos = (this.buffer.flags(s) & (BREACH | HIDDEN)) === BREACH;
    this.pulse(halos);
    this.map?.triggerRepaint();
  }

  /** Breach halos pulse: a repaint eight times a second while any is shown, none otherwise. */
  private pulse(on: boolean): void {
    if (on && this.pulseTimer === undefined) this.pulseTimer = setInterval(() => this.map?.triggerRepaint(), 125);
    if (!on && this.pulseTimer !== undefined) {
      clearInterval(this.pulseTimer);
      this.pulseTimer = undefined;
    }
  }

  render(gl: WebGL2RenderingContext, options: CustomRenderMethodInput): void {
    if (!this.program || !this.vao || !this.vbo || !this.map) return;
    const b = this.buffer;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.vbo);
    if (b.grew) {
      gl.bufferData(gl.ARRAY_BUFFER, b.data, gl.DYNAMIC_DRAW);
      b.grew = false;
      b.takeDirty();
    } else {
      const span = b.takeDirty();
      if (span) gl.bufferSubData(gl.ARRAY_BUFFER, span.from * 4, b.data, span.from, span.to - span.from);
    }
    // Positions are relative to the buffer's origin: fold the origin into the matrix in
    // float64, so the GPU multiplies small numbers and keeps its precision at street zoom.
    const m = Float64Array.from(options.defaultProjectionData.mainMatrix as ArrayLike<number>);
    this.matrix = m;
    const [ox, oy] = b.origin;
    const rel = new Float32Array(m);
    for (let r = 0; r < 4; r++) rel[12 + r] = m[r] * ox + m[4 + r] * oy + m[12 + r];

    const dpr = window.devicePixelRatio || 1;
    gl.useProgram(this.program);
    gl.uniformMatrix4fv(this.uniforms.u_matrix, false, rel);
    gl.uniform1f(this.uniforms.u_size, Math.min(this.maxPoint / 2, symbolSize(this.map.getZoom()) * dpr));
    gl.uniform1f(this.uniforms.u_cols, this.atlas.cols);
    gl.uniform2f(this.uniforms.u_cells, this.atlas.cols, this.atlas.rows);
    gl.uniform1f(this.uniforms.u_pulse, 0.6 + 0.4 * Math.sin((performance.now() / 1000) * Math.PI * 2));
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture!);
    gl.uniform1i(this.uniforms.u_atlas, 0);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.DEPTH_TEST);
    gl.bindVertexArray(this.vao);
    gl.uniform1f(this.uniforms.u_pass, 0);
    gl.drawArrays(gl.POINTS, 0, b.size);
    gl.uniform1f(this.uniforms.u_pass, 1);
    gl.drawArrays(gl.POINTS, 0, b.size);
    gl.bindVertexArray(null);
    this.drawn = b.visible;
  }

  /** Screen position (CSS pixels) of every slot, from the last frame's matrix; NaN for hidden units. */
  screen(): { xs: Float32Array; ys: Float32Array; n: number } {
    const n = this.buffer.size;
    const xs = new Float32Array(n).fill(Number.NaN);
    const ys = new Float32Array(n).fill(Number.NaN);
    const m = this.matrix;
    const canvas = this.map?.getCanvas();
    if (!m || !canvas) return { xs, ys, n };
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    for (let s = 0; s < n; s++) {
      if (this.buffer.flags(s) & HIDDEN) continue;
      const [x, y] = this.buffer.world(s);
      const cw = m[3] * x + m[7] * y + m[15];
      xs[s] = ((m[0] * x + m[4] * y + m[12]) / cw + 1) * 0.5 * w;
      ys[s] = (1 - (m[1] * x + m[5] * y + m[13]) / cw) * 0.5 * h;
    }
    return { xs, ys, n };
  }
}
