// The curve expression language of docs/spec/analytics.md: u2 as a function of u1.
// A small recursive-descent parser to a tree, evaluated by walking it: no eval, so a
// model file can name a curve but never run code. Errors carry the 1-based position
// of the offending character, because a model is written by hand.

export class ExprError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`at position ${position}: ${reason}`);
  }
}

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'var' }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/' | '^'; left: Expr; right: Expr }
  | { kind: 'call'; fn: FnName; args: Expr[] };

type FnName = 'sqrt' | 'exp' | 'log' | 'min' | 'max' | 'abs';

// How many arguments each function takes: [least, most].
const FUNCTIONS: Record<FnName, [number, number]> = {
  sqrt: [1, 1],
  exp: [1, 1],
  log: [1, 1],
  abs: [1, 1],
  min: [2, Number.POSITIVE_INFINITY],
  max: [2, Number.POSITIVE_INFINITY],
};

interface Token {
  kind: 'num' | 'name' | 'op' | 'end' | 'bad';
  text: string;
  pos: number; // 1-based
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'num', text: num[0], pos: i + 1 });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ kind: 'name', text: name[0], pos: i + 1 });
      i += name[0].length;
      continue;
    }
    if ('+-*/^(),'.includes(c)) {
      out.push({ kind: 'op', text: c, pos: i + 1 });
      i++;
      continue;
    }
    // Not thrown here: the parser reports problems left to right, so an unknown name
    // before a stray character is the error named.
    out.push({ kind: 'bad', text: c, pos: i + 1 });
    return out;
  }
  out.push({ kind: 'end', text: '', pos: src.length + 1 });
  return out;
}

/** Parses a curve expression; throws ExprError naming the position of the first problem. */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src);
  let k = 0;
  const peek = () => {
    const t = toks[k];
    if (t.kind === 'bad') throw new ExprError(t.pos, `unexpected character "${t.text}"`);
    return t;
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the expression' : `"${t.text}"`);
  const expect = (text: string) => {
    const t = peek();
    if (t.kind !== 'op' || t.text !== text) throw new ExprError(t.pos, `expected "${text}", found ${describe(t)}`);
    k++;
  };

  // expr := term (('+'|'-') term)*
  function expr(): Expr {
    let left = term();
    for (let t = peek(); t.kind === 'op' && (t.text === '+' || t.text === '-'); t = peek()) {
      k++;
      left = { kind: 'bin', op: t.text, left, right: term() };
    }
    return left;
  }
  // term := unary (('*'|'/') unary)*
  function term(): Expr {
    let left = unary();
    for (let t = peek(); t.kind === 'op' && (t.text === '*' || t.text === '/'); t = peek()) {
      k++;
      left = { kind: 'bin', op: t.text, left, right: unary() };
    }
    return left;
  }
  // unary := '-' unary | power — so -u1^2 is -(u1^2), as in mathematics.
  function unary(): Expr {
    const t = peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      k++;
      const arg = unary();
      return t.text === '-' ? { kind: 'neg', arg } : arg;
    }
    return power();
  }
  // power := atom ('^' unary)?  — right-associative: 2^3^2 = 2^(3^2).
  function power(): Expr {
    const base = atom();
    const t = peek();
    if (t.kind === 'op' && t.text === '^') {
      k++;
      return { kind: 'bin', op: '^', left: base, right: unary() };
    }
    return base;
  }
  function atom(): Expr {
    const t = peek();
    if (t.kind === 'num') {
      k++;
      return { kind: 'num', value: Number(t.text) };
    }
    if (t.kind === 'name') {
      k++;
      if (t.text === 'u1') return { kind: 'var' };
      if (!(t.text in FUNCTIONS)) throw new ExprError(t.pos, `unknown name "${t.text}" (known: u1, ${Object.keys(FUNCTIONS).join(', ')})`);
      const fn = t.text as FnName;
      expect('(');
      const args = [expr()];
      while (peek().kind === 'op' && peek().text === ',') {
        k++;
        args.push(expr());
      }
      const close = peek();
      expect(')');
      const [least, most] = FUNCTIONS[fn];
      if (args.length < least || args.length > most) {
        throw new ExprError(close.pos, `${fn} takes ${least === most ? least : `at least ${least}`} argument${least === 1 ? '' : 's'}, given ${args.length}`);
      }
      return { kind: 'call', fn, args };
    }
    if (t.kind === 'op' && t.text === '(') {
      k++;
      const inner = expr();
      expect(')');
      return inner;
    }
    throw new ExprError(t.pos, `expected a number, u1, a function or "(", found ${describe(t)}`);
  }

  const e = expr();
  const rest = peek();
  if (rest.kind !== 'end') throw new ExprError(rest.pos, `unexpected ${describe(rest)}`);
  return e;
}

/** The value at u1; NaN where the expression is undefined (sqrt of a negative, log of 0 …). */
export function evaluate(e: Expr, u1: number): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'var':
      return u1;
    case 'neg':
      return -evaluate(e.arg, u1);
    case 'bin': {
      const a = evaluate(e.left, u1);
      const b = evaluate(e.right, u1);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? Number.NaN : a / b;
        case '^':
          return a ** b;
      }
      break;
    }
    case 'call': {
      const v = e.args.map((x) => evaluate(x, u1));
      switch (e.fn) {
        case 'sqrt':
          return Math.sqrt(v[0]);
        case 'exp':
          return Math.exp(v[0]);
        case 'log':
          return v[0] <= 0 ? Number.NaN : Math.log(v[0]);
        case 'abs':
          return Math.abs(v[0]);
        case 'min':
          return Math.min(...v);
        case 'max':
          return Math.max(...v);
      }
    }
  }
  return Number.NaN;
}

/** Parses once, then gives a plain function of u1. */
export function compileCurve(src: string): (u1: number) => number {
  const e = parseExpr(src);
  return (u1) => evaluate(e, u1);
}
