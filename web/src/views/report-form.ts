// Filing reports from the page (spec/reports.md): one report or an array, as JSON.
// Signed in the page when this device holds an enrolled key (a `report` or `reports`
// statement, built as the server builds it), else sent with the token alone.
import type { JsonObject } from '../../../src/record/canonical.ts';
import type { App } from '../app.ts';
import { h } from '../dom.ts';
import type { Recorded } from '../keys/signing.ts';
import { actionForm, FormProblem, field } from './forms.ts';

export function reportForm(app: App): HTMLFormElement {
  const text = h('textarea', {
    rows: 6,
    class: 'mono',
    required: true,
    placeholder: '{"type": "observation", "id": …}  or  [ … ]',
    'data-test': 'report-json',
  });
  return actionForm({
    title: 'File reports',
    test: 'report-form',
    fields: [field('Reports (JSON)', text, 'one report, or an array of them')],
    submit: 'File',
    resetOnDone: true,
    run: () => {
      let value: unknown;
      try {
        value = JSON.parse(text.value);
      } catch (e) {
        throw new FormProblem(`not JSON: ${(e as Error).message}`);
      }
      const list = (Array.isArray(value) ? value : [value]) as JsonObject[];
      if (list.length === 0) throw new FormProblem('no report to file');
      return app.signing.reports(list);
    },
    done: (r) => {
      const rec = r as Recorded;
      const n = rec.indexes?.length ?? 0;
      return `Recorded ${n} report${n === 1 ? '' : 's'}${rec.indexes?.length ? `, entry ${rec.indexes[0]}` : ''}${app.signing.mode === 'browser' ? ', signed in this browser' : ''}.`;
    },
  });
}
