// The printable dataset report: one self-contained HTML page (inline CSS and SVG, no script, no outside resource).
import { barChartSvg, escapeXml } from './chart';
import type { DatasetReport } from './types';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function table(header: string[], rows: (string | number)[][]): string {
  const th = header.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const trs = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeXml(String(c))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

/** The report as a printable page. Everything shown is in the report already (no PHI). */
export function reportHtml(report: DatasetReport): string {
  const c = report.composition;
  const t = c.totals;
  const parts: string[] = [];
  parts.push(`<h1>${escapeXml(report.title)}</h1>`);
  if (report.createdAt) parts.push(`<p class="muted">${escapeXml(report.createdAt)}</p>`);
  parts.push(
    `<p>${t.sites} site(s), ${t.patients} patients, ${t.studies} studies, ${t.series} series, ${t.instances} images.</p>`,
  );
  for (const n of report.notes) parts.push(`<p class="note">${escapeXml(n)}</p>`);

  parts.push('<h2>Composition</h2><div class="charts">');
  for (const d of c.dimensions) {
    parts.push(
      `<figure>${barChartSvg(
        d.rows.map((r) => ({
          label: r.key,
          value: r.instances,
          note: `${r.instances} (${r.patients} pt)`,
        })),
        { title: `Images by ${d.name}` },
      )}</figure>`,
    );
  }
  parts.push('</div>');
  if (c.prevalence.length) {
    parts.push('<h3>Label prevalence</h3>');
    parts.push(
      table(
        ['label', 'patients', 'share of patients', 'images', 'share of images'],
        c.prevalence.map((p) => [
          p.label,
          p.patients,
          pct(p.patientShare),
          p.instances,
          pct(p.instanceShare),
        ]),
      ),
    );
  }
  if (c.expected.length) {
    parts.push('<h3>Expected by the recipe</h3>');
    parts.push(
      table(
        ['what', 'expected', 'actual', ''],
        c.expected.map((e) => [e.what, e.expected, e.actual, e.ok ? 'as expected' : 'differs']),
      ),
    );
  }

  const l = report.leakage;
  parts.push('<h2>Target leakage</h2>');
  if (!l) parts.push('<p>No labels were given, so leakage was not checked.</p>');
  else {
    parts.push(
      `<p>How well each retained element alone predicts the label (${escapeXml(l.labels.join(', '))}), over ${l.rows} labelled images. AUC 0.5 is chance; the baseline is the mean AUC with labels shuffled ${l.permutations} times between ${l.shuffledBy === 'patient' ? 'patients' : 'images'} (seed ${l.seed}). Flagged: p &lt; ${l.alpha}.</p>`,
    );
    const top = l.scores.slice(0, 15);
    parts.push(
      `<figure>${barChartSvg(
        top.map((s) => ({
          label: s.feature,
          value: s.auc,
          note: `${s.auc.toFixed(2)} (base ${s.aucBaseline.toFixed(2)})`,
        })),
        { title: 'Single-element AUC, highest lift first', max: 1, maxBars: 15 },
      )}</figure>`,
    );
    parts.push(
      table(
        ['rank', 'element', 'AUC', 'baseline', 'lift', 'MI (bits)', 'MI z', 'p', 'flag'],
        l.scores.map((s, i) => [
          i + 1,
          s.feature,
          s.auc.toFixed(3),
          s.aucBaseline.toFixed(3),
          s.lift.toFixed(3),
          s.mi.toFixed(3),
          s.miZ.toFixed(1),
          s.p.toFixed(3),
          s.flagged ? 'LEAKS' : '',
        ]),
      ),
    );
    if (l.identifierLike.length)
      parts.push(
        `<p>Not scored, about one value per ${l.shuffledBy === 'patient' ? 'patient' : 'image'} (identifiers predict only by memory): ${escapeXml(l.identifierLike.map((x) => x.feature).join(', '))}.</p>`,
      );
  }

  const d = report.duplicates;
  parts.push('<h2>Duplicates</h2>');
  parts.push(
    `<p>${d.images} images, ${d.hashed} with a perceptual hash, ${d.blank} blank. Near-duplicates: hashes at most ${d.threshold} of 64 bits apart.</p>`,
  );
  if (d.pairs.length === 0) parts.push('<p>No duplicate across patients or studies.</p>');
  else
    parts.push(
      table(
        ['kind', 'bits apart', 'patient A', 'image A', 'patient B', 'image B'],
        d.pairs.map((p) => [p.kind, p.distance, p.a.patient, p.a.path, p.b.patient, p.b.path]),
      ),
    );
  if (d.omittedPairs) parts.push(`<p>${d.omittedPairs} more pairs not listed.</p>`);

  if (report.split) {
    const s = report.split;
    parts.push('<h2>Split</h2>');
    parts.push(
      table(
        ['split', 'ratio', 'patients', 'by label'],
        (['train', 'validation', 'test'] as const).map((k) => [
          k,
          pct(s.ratios[k]),
          s.counts[k].patients,
          Object.entries(s.counts[k].byLabel)
            .map(([a, b]) => `${a} ${b}`)
            .join(', '),
        ]),
      ),
    );
  }

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(report.title)}</title>
<style>
body{font-family:system-ui,sans-serif;color:#1c2733;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
h1,h2,h3{color:#17324d}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #dde3e9;padding:.25rem .5rem;text-align:left}th{background:#f4f6f8}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0;break-inside:avoid}.muted{color:#55626f}
.note{background:#fff4d6;padding:.4rem .6rem}@media print{body{margin:0}}
</style></head><body>
${parts.join('\n')}
</body></html>
`;
}
