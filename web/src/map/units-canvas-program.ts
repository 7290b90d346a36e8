// The GL side of the units: one point sprite (gl.POINTS) per unit slot, drawn in two
// passes from the same vertex buffer, halos first (pulsing red for units in breach, a
// black ring for selected ones) then the symbols from the atlas (symbols.ts). It draws
// into whatever WebGL 2 context it is given: the units' own canvas (units-canvas.ts).
import type { SymbolAtlas } from './symbols.ts';
import { ALERT, BREACH, HIDDEN, SELECTED, STRIDE, type UnitsBuffer } from './units-layer-buffer.ts';

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
    // the atlas is uploaded premultiplied, and the canvas composites premultiplied
    color = texture(u_atlas, (v_cell + gl_PointCoord) / u_cells);
  }
  if (color.a < 0.02) discard;
}`;

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const s = gl.createShader(type)!;
  gl.shaderSource(s, source);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`units shader: ${gl.getShaderInfoLog(s)}`);
  return s;
}

export class UnitsProgram {
  private readonly program: WebGLProgram;
  private readonly vao: WebGLVertexArrayObject;
  private readonly vbo: WebGLBuffer;
  private readonly texture: WebGLTexture;
  private readonly uniforms: Record<string, WebGLUniformLocation | null> = {};
  /** the largest point sprite this context draws, in device pixels */
  readonly maxPoint: number;
  /** the GPU buffer must be (re)allocated before the next upload */
  private fresh = true;

  constructor(
    private readonly gl: WebGL2RenderingContext,
    private readonly atlas: SymbolAtlas,
  ) {
    const p = gl.createProgram()!;
    gl.attachShader(p, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(p, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`units program: ${gl.getProgramInfoLog(p)}`);
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

    this.texture = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, atlas.canvas);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    const range = gl.getParameter(gl.ALIASED_POINT_SIZE_RANGE) as Float32Array | null;
    this.maxPoint = range?.[1] ?? 64;
  }

  /** Copies the slots written since the last upload to the GPU (all of them after the buffer grew). */
  upload(b: UnitsBuffer): void {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.vbo);
    if (b.grew || this.fresh) {
      gl.bufferData(gl.ARRAY_BUFFER, b.data, gl.DYNAMIC_DRAW);
      b.grew = false;
      this.fresh = false;
      b.takeDirty();
    } else {
      const span = b.takeDirty();
      if (span) gl.bufferSubData(gl.ARRAY_BUFFER, span.from * 4, b.data, span.from, span.to - span.from);
    }
  }

  /**
   * Clears the canvas and draws `count` slots: `matrix` takes positions relative to the
   * buffer's origin to clip space, `size` is the symbol's side in device pixels.
   */
  draw(matrix: Float32Array, size: number, pulse: number, count: number): void {
    const gl = this.gl;
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(this.program);
    gl.uniformMatrix4fv(this.uniforms.u_matrix, false, matrix);
    gl.uniform1f(this.uniforms.u_size, Math.min(this.maxPoint / 2, size));
    gl.uniform1f(this.uniforms.u_cols, this.atlas.cols);
    gl.uniform2f(this.uniforms.u_cells, this.atlas.cols, this.atlas.rows);
    gl.uniform1f(this.uniforms.u_pulse, pulse);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.uniform1i(this.uniforms.u_atlas, 0);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.bindVertexArray(this.vao);
    gl.uniform1f(this.uniforms.u_pass, 0);
    gl.drawArrays(gl.POINTS, 0, count);
    gl.uniform1f(this.uniforms.u_pass, 1);
    gl.drawArrays(gl.POINTS, 0, count);
    gl.bindVertexArray(null);
  }

  dispose(): void {
    const gl = this.gl;
    gl.deleteBuffer(this.vbo);
    gl.deleteVertexArray(this.vao);
    gl.deleteTexture(this.texture);
    gl.deleteProgram(this.program);
  }
}
