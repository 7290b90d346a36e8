// node:fs for the browser build: the record's key module imports readFileSync for
// reading signer key files, which only the server and the CLI do.
export function readFileSync(path: string): never {
  throw new Error(`cannot read ${path}: there are no files in the browser`);
}
