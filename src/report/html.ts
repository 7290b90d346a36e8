// The report as one self-contained HTML document (no external resource: Chromium prints
// it offline), in the manner of the Secretary-General's periodic reports on UNDOF:
// numbered paragraphs under Roman-numbered sections. Arabic and Hebrew set dir="rtl" on
// the document so Chromium lays out and shapes them; names from the arrangement and
// identifiers are isolated (<bdi>) so their own direction does not scramble a sentence.
import { arrangementFeatures } from '../interop/zone-features.ts';
import { type MapPoint, mapSvg } from './map-svg.ts';
import type { ReportFinding, ReportModel } from './model.ts';
import { formatDate, formatNumber, type Lang, STRINGS, type Strings } from './strings.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text that is not in the report's language (a name, an id): isolated, its direction its own. */
function iso(s: string): string {
  return `<bdi>${esc(s)}</bdi>`;
}

/** An identifier or a hash: always left to right. */
function code(s: string): string {
  return `<bdi dir="ltr" class="code">${esc(s)}</bdi>`;
}

// A printed map 640 units wide needs no finer outline; the areas listed are computed, not traced.
const MAP_OUTLINE = { maxCells: 192, cellKm: 0.5, refine: 4, tolerance: 0.3 };

// Fonts Debian ships (fonts-noto-core; DejaVu covers Arabic and Hebrew where Noto is missing).
const FONTS = `'Noto Serif', 'Noto Naskh Arabic', 'Noto Serif Hebrew', 'DejaVu Serif', serif`;
const FONTS_RTL = {
  ar: `'Noto Naskh Arabic', 'Noto Serif', 'DejaVu Sans', serif`,
  he: `'Noto Serif Hebrew', 'Noto Sans Hebrew', 'Noto Serif', 'DejaVu Sans', serif`,
} as const;

const CSS = (lang: Lang) => `
@page { size: A4; margin: 22mm 20mm 22mm 20mm; }
html { font-family: ${lang === 'ar' || lang === 'he' ? FONTS_RTL[lang] : FONTS}; font-size: 10.5pt; line-height: 1.45; color: #111; }
body { margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
.subtitle { font-size: 11pt; margin: 0 0 2pt; color: #333; }
.meta { margin: 0 0 14pt; color: #333; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
p.para { margin: 0 0 6pt; text-align: start; }
p.para .n { display: inline-block; min-width: 2.2em; font-weight: bold; }
ul { margin: 0 0 6pt; padding-inline-start: 1.6em; }
li { margin: 0 0 2pt; }
.code { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; white-space: nowrap; }
.hash { white-space: normal; word-break: break-all; }
pre.note { direction: ltr; text-align: left; font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; white-space: pre-wrap; word-break: break-all; border: 1px solid #bbb; padding: 6pt; background: #f7f7f7; }
figure { margin: 6pt 0; break-inside: avoid; }
figure .map { width: 100%; height: auto; direction: ltr; }
figcaption { font-size: 9pt; color: #333; }
.legend span { margin-inline-end: 1.2em; }
.swatch { display: inline-block; width: 10pt; height: 8pt; vertical-align: middle; margin-inline-end: 3pt; border: 1px solid #666; }
table.addresses { border-collapse: collapse; font-size: 9pt; }
table.addresses td, table.addresses th { border-bottom: 1px solid #ddd; padding: 2pt 6pt; text-align: start; }
.draft { font-size: 8.5pt; color: #555; font-style: italic; }
`;

function findingSentence(s: Strings, lang: Lang, f: ReportFinding, paraOf: (n: number) => string, arrangement: ReportModel['arrangement']): string {
  const item = f.recorded.item;
  const kind = s.findingKinds[item.finding as keyof Strings['findingKinds']] ?? item.finding;
  const state = s.states[item.state as keyof Strings['states']] ?? item.state;
  // Where the arrangement grades evidence, how well it is established goes beside its state.
  const confidence = typeof item.confidence === 'string' ? (s.confidences[item.confidence as keyof Strings['confidences']] ?? item.confidence) : undefined;
  const details: string[] = [];
  const actorName = (id: string) => arrangement.actorById.get(id)?.name ?? id;
  const zoneName = (id: string) => arrangement.zones.find((z) => z.id === id)?.name ?? id;
  if (typeof item.actor === 'string') details.push(`${s.label.actor}: ${iso(actorName(item.actor))}`);
  if (typeof item.zone === 'string') details.push(`${s.label.zone}: ${iso(zoneName(item.zone))}`);
  if (Array.isArray(item.units) && item.units.length) details.push(`${s.label.units}: ${item.units.map((u) => code(String(u))).join(', ')}`);
  if (typeof item.observed === 'number') {
    const asset = typeof item.asset === 'string' ? ` ${iso(item.asset)}` : '';
    details.push(
      `${s.label.observed}: ${formatNumber(lang, item.observed)}${asset}${typeof item.max === 'number' ? `; ${s.label.max}: ${formatNumber(lang, item.max)}` : ''}`,
    );
  }
  if (typeof item.cpa_km === 'number') details.push(`${s.label.closest}: ${formatNumber(lang, item.cpa_km)} km`);
  if (typeof item.notification === 'string') details.push(`${s.label.notification}: ${code(item.notification)}`);
  if (Array.isArray(item.missing) && item.missing.length) details.push(`${s.label.missing}: ${item.missing.map((m) => code(String(m))).join(', ')}`);
  if (typeof item.reason === 'string') details.push(`${s.reason}: ${iso(item.reason)}`);
  if (typeof item.deadline === 'string') details.push(`${s.label.deadline}: ${esc(formatDate(lang, Date.parse(item.deadline)))}`);
  const { entry, n } = f.recorded.address;
  const addr = `${s.label.address}: ${code(`entry ${entry}, findings[${n}]`)}${f.recorded.sealed ? ` (${s.label.sealed})` : ''}`;
  const at = item.at;
  const basis = at ? `; ${s.label.basis}: ${code(at.n === undefined ? `entry ${at.entry}` : `entry ${at.entry}, n ${at.n}`)}` : '';
  return `<p class="para" id="p${f.para}"><span class="n">${paraOf(f.para)}.</span> ${esc(formatDate(lang, f.time))}: <b>${esc(kind)}</b> (${esc(confidence ? `${state}, ${confidence}` : state)}). ${details.join('; ')}${details.length ? '. ' : ''}${addr}${basis}.</p>`;
}

export function reportHtml(m: ReportModel, lang: Lang): string {
  const s = STRINGS[lang];
  const nf = (n: number) => formatNumber(lang, n);
  const arr = m.arrangement;
  const fromText = m.from !== undefined ? formatDate(lang, m.from) : m.first !== undefined ? formatDate(lang, m.first) : s.startOfRecord;
  const toText = m.to !== undefined ? formatDate(lang, m.to) : m.last !== undefined ? formatDate(lang, m.last) : s.endOfRecord;
  const title = s.title(arr.title);
  const paraOf = (n: number) => nf(n);
  let para = 0;
  const p = (html: string) => `<p class="para"><span class="n">${paraOf(++para)}.</span> ${html}</p>`;
  const role = (r: string) => s.roles[r] ?? r;
  const out: string[] = [];
  out.push(
    `<!doctype html><html lang="${lang}" dir="${s.dir}"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS(lang)}</style></head><body>`,
  );
  out.push(`<h1>${withName(s.title('\u0000'), arr.title)}</h1>`);
  out.push(`<p class="subtitle">${esc(s.subtitle)}</p>`);
  out.push(`<p class="meta">${esc(s.period(fromText, toText))}<br>${withName(s.preparedFor('\u0000'), m.reader.name)} (${esc(role(m.reader.role))})</p>`);
  if (s.translationNote) out.push(`<p class="draft">${esc(s.translationNote)}</p>`);

  // I. Introduction
  out.push(`<h2>${esc(s.sections.intro)}</h2>`);
  out.push(p(withName(s.intro('\u0000', fromText, toText), arr.title)));
  out.push(p(esc(s.introCount(m.findings.length, m.sections.length)).replace(/\d+/g, (d) => nf(Number(d)))));
  out.push(p(esc(s.introBasis(nf(m.record.size)))));

  // II. The arrangement
  out.push(`<h2>${esc(s.sections.arrangement)}</h2>`);
  const features = arrangementFeatures(arr, MAP_OUTLINE);
  out.push(`<h3>${esc(s.actors)}</h3><ul>${arr.actors.map((a) => `<li>${iso(a.name)} ${code(a.id)}: ${esc(role(a.role))}</li>`).join('')}</ul>`);
  out.push(
    `<h3>${esc(s.zones)}</h3><ul>${features.zones.map((z) => `<li>${iso(z.name)} ${code(z.id)}: ${esc(s.label.area)} <bdi dir="ltr">${nf(Math.round(z.areaKm2 * 10) / 10)} km²</bdi></li>`).join('')}</ul>`,
  );
  if (features.lines.length) out.push(`<h3>${esc(s.lines)}</h3><ul>${features.lines.map((l) => `<li>${iso(l.name)} ${code(l.id)}</li>`).join('')}</ul>`);
  out.push(`<h3>${esc(s.rules)}</h3><ul>`);
  for (const r of arr.rules) {
    const bits = [`${code(r.id)} (${esc(s.ruleKinds[r.kind])})`];
    if (r.text) bits.push(iso(r.text));
    if (r.cite) bits.push(`${esc(s.label.citation)}: ${iso(r.cite)}`);
    out.push(`<li>${bits.join(' — ')}</li>`);
  }
  out.push('</ul>');

  // III. Findings by rule
  out.push(`<h2>${esc(s.sections.findings)}</h2>`);
  if (m.findings.length === 0) out.push(p(esc(s.noFindings)));
  para = m.introParas;
  for (const sec of m.sections) {
    out.push(
      `<h3>${esc(s.ruleFindings('\u0000', sec.findings.length))
        .replace(/\d+/g, (d) => nf(Number(d)))
        .replace('\u0000', code(sec.rule))}</h3>`,
    );
    const def = sec.def;
    const lead = def
      ? [def.text ? iso(def.text) : '', def.cite ? `${esc(s.label.citation)}: ${iso(def.cite)}` : ''].filter(Boolean).join(' — ')
      : esc(s.unknownRule);
    if (lead) out.push(`<p class="lead">${lead}</p>`);
    for (const f of sec.findings) out.push(findingSentence(s, lang, f, paraOf, arr));
  }
  para = m.introParas + m.findings.length;

  // IV. Map
  out.push(`<h2>${esc(s.sections.map)}</h2>`);
  // Findings at one place share one mark, labelled with all their paragraphs.
  const places = new Map<string, MapPoint>();
  for (const f of m.findings) {
    if (!f.place) continue;
    const [lon, lat] = f.place.position;
    const key = `${lon},${lat},${f.place.from}`;
    const had = places.get(key);
    if (had) had.label += `,${paraOf(f.para)}`;
    else places.set(key, { label: paraOf(f.para), lon, lat, approximate: f.place.from !== 'report' });
  }
  const points = [...places.values()];
  out.push(
    `<figure>${mapSvg(features, points, arr.title)}<figcaption>${esc(s.mapCaption)}${points.length === 0 && m.findings.length ? ` ${esc(s.mapNone)}` : ''}</figcaption></figure>`,
  );
  out.push(
    `<p class="legend"><span><i class="swatch" style="background:#4c72b055"></i>${esc(s.legendZone)}</span><span><i class="swatch" style="background:#222;height:2pt"></i>${esc(s.legendLine)}</span><span><i class="swatch" style="background:#b00020;border-radius:50%"></i>${esc(s.legendFinding)}</span></p>`,
  );

  // V. The record
  out.push(`<h2>${esc(s.sections.record)}</h2>`);
  out.push(
    p(
      `${esc(s.recordIntro('\u0000', '\u0001'))
        .replace('\u0000', nf(m.record.size))
        .replace('\u0001', `<bdi dir="ltr" class="code hash">${esc(m.record.root)}</bdi>`)}`,
    ),
  );
  out.push(`<pre class="note" aria-label="${esc(s.checkpointText)}">${esc(m.record.note)}</pre>`);
  out.push(
    p(
      m.record.cosignatures.length
        ? esc(s.witnessed('\u0000')).replace(
            '\u0000',
            m.record.cosignatures.map((c) => esc(s.cosignedAt('\u0000', formatDate(lang, c.time * 1000))).replace('\u0000', code(c.name))).join('; '),
          )
        : esc(s.notWitnessed),
    ),
  );
  out.push(p(esc(s.verify)));
  if (m.findings.length) {
    out.push(p(esc(s.addressesIntro)));
    out.push(`<table class="addresses"><tbody>`);
    for (const f of m.findings)
      out.push(
        `<tr class="address"><td>${paraOf(f.para)}</td><td>${code(f.recorded.item.rule)}</td><td>${code(`entry ${f.recorded.address.entry}, findings[${f.recorded.address.n}]`)}</td></tr>`,
      );
    out.push('</tbody></table>');
  }
  out.push('</body></html>');
  return out.join('\n');
}

/** A translated sentence with the arrangement's name put in, isolated. */
function withName(text: string, name: string): string {
  return text.split('\u0000').map(esc).join(iso(name));
}
