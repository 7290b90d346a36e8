// The talks routes' paths as the commands …/talks/prepare takes: the same body, with
// its kind (close-issue takes its issue from the path).
import type { JsonObject } from '../../../src/record/canonical.ts';

const KINDS: Record<string, string> = {
  submissions: 'submit',
  relays: 'relay',
  issues: 'open-issue',
  drafts: 'draft',
  stances: 'stance',
  withdrawals: 'withdraw',
  approval: 'approve',
  announcement: 'announce',
  'joint/consents': 'consent-direct',
  'joint/open': 'open-joint-channel',
  'joint/messages': 'joint-message',
  'joint/close': 'close-joint-channel',
  rounds: 'open-round',
  extensions: 'propose-extension',
  'extensions/approval': 'approve-extension',
};

export function commandOf(path: string, body: JsonObject): JsonObject {
  const close = /^issues\/([^/]+)\/close$/.exec(path);
  if (close) return { kind: 'close-issue', id: decodeURIComponent(close[1]) };
  const kind = KINDS[path];
  if (!kind) throw new Error(`no talks command is posted to ${path}`);
  return { kind, ...body };
}
