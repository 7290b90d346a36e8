// A CLI command run in this process with its stdout and stderr taken, as a test reads them.
export async function captured(fn: () => Promise<number>): Promise<{ code: number; text: string }> {
  const said: string[] = [];
  const take = ((c: string | Uint8Array) => {
    said.push(String(c));
    return true;
  }) as typeof process.stdout.write;
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = take;
  process.stderr.write = take;
  try {
    return { code: await fn(), text: said.join('') };
  } catch (e) {
    said.push((e as Error).message);
    return { code: 2, text: said.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}
