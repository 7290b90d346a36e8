import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCurve, ExprError, parseExpr } from './expr.ts';

test('curve expressions follow the usual precedence: ^ binds tighter than unary minus, and is right-associative', () => {
  const cases: [string, number, number][] = [
    ['1 - u1', 0.25, 0.75],
    ['sqrt(1 - u1)', 0.75, 0.5],
    ['1 - u1^2', 0.5, 0.75],
    ['-u1^2', 3, -9],
    ['2^3^2', 0, 512],
    ['(2^3)^2', 0, 64],
    ['2 * 3 + 4 / 8 - 1', 0, 5.5],
    ['8 / 4 / 2', 0, 1],
    ['min(u1, 0.3, 0.5) + max(1, u1)', 2, 2.3],
    ['abs(-u1) * exp(0) + log(exp(2))', 1.5, 3.5],
    ['1.5e1 + .5', 0, 15.5],
  ];
  for (const [src, u1, want] of cases) assert.ok(Math.abs(compileCurve(src)(u1) - want) < 1e-12, `${src} at ${u1}`);
});

test('where the expression is undefined the curve is NaN, not an exception', () => {
  assert.ok(Number.isNaN(compileCurve('sqrt(u1 - 2)')(0.5)));
  assert.ok(Number.isNaN(compileCurve('log(u1)')(0)));
  assert.ok(Number.isNaN(compileCurve('1 / u1')(0)));
});

test('a syntax error names the position of the offending character', () => {
  const cases: [string, number, RegExp][] = [
    ['sqrt(1 - u1', 12, /expected "\)"/],
    ['1 - * u1', 5, /expected a number/],
    ['1 - u2', 5, /unknown name "u2"/],
    ['u1 $ 2', 4, /unexpected character "\$"/],
    ['u1 u1', 4, /unexpected "u1"/],
    ['min(u1)', 7, /min takes at least 2 arguments/],
    ['sqrt(u1, 2)', 11, /sqrt takes 1 argument/],
    ['', 1, /found the end/],
    ['process.exit(1)', 1, /unknown name "process"/],
  ];
  for (const [src, pos, reason] of cases) {
    assert.throws(
      () => parseExpr(src),
      (e) => e instanceof ExprError && e.position === pos && reason.test(e.reason),
      `${JSON.stringify(src)} should fail at ${pos}`,
    );
  }
});
