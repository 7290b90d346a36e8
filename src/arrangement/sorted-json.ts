// JSON with object keys sorted: two texts of the same rule or section written in another
// key order compare equal (amendments, the history's text hashes, the engine's switch).
export function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x as object)
            .sort()
            .map((k) => [k, (x as Record<string, unknown>)[k]]),
        )
      : x,
  );
}
