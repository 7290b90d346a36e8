// Filing reports from the page (spec/reports.md): one report or an array, as JSON.
// Signed in the page when this device holds an enrolled key (a `report` or `reports`
// statement, built as the server builds it), else sent with the token alone.
import type { JsonObject } from '../../../src/record/canonical.ts';
import type { App } from '../app.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/i18n.ts';
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
    title: t('report.title'),
    test: 'report-form',
    fields: [field(t('report.field'), text, t('report.hint'))],
    submit: t('report.submit'),
    resetOnDone: true,
    run: () => {
      let value: unknown;
      try {
        value = JSON.parse(text.value);
      } catch (e) {
        throw new FormProblem(t('form.notJson', { error: (e as Error).message }));
      }
      const list = (Array.isArray(value) ? value : [value]) as JsonObject[];
      if (list.length === 0) throw new FormProblem(t('report.none'));
      return app.signing.reports(list);
    },
    done: (r) => {
      const rec = r as Recorded;
      const n = rec.indexes?.length ?? 0;
      const parts = [t('report.recorded', { n })];
      if (rec.indexes?.length) parts.push(t('report.entry', { n: String(rec.indexes[0]) }));
      if (app.signing.mode === 'browser') parts.push(t('report.signedHere'));
      return `${parts.join(t('list.separator'))}.`;
    },
  });
}
