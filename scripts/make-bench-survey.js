#!/usr/bin/env node
// Writes the benchmark data into bench/data/ (git-ignored, regenerated on demand):
//   model.json                the model the surveys are scored with (20 items, 4 segments)
//   survey-10k.csv, survey-100k.csv, survey-1m.csv
//   survey-<largest>-uuid-ids.csv  the largest survey again with random UUID-like respondent ids
//                             (the same answers): ids in no order, as many survey tools export
//                             them, which the duplicate-id check cannot take on its fast path
// Each survey has 20 value items (1–5 and 0–10 scales, about 1% of answers left blank), NPS,
// CSAT and CES, two segment columns and a respondent id, with headers the survey import maps
// by itself (benefit:<label>, cost:<label>, nps, csat, ces, segment:<group>, respondent_id).
// Seeded: the same bytes on every machine. The 1M file is about 55 MB.
//
//   node scripts/make-bench-survey.js [--out DIR] [--sizes 10k,100k,1m] [--force]
'use strict';
const fs = require('fs');
const path = require('path');
const { mulberry32, normalFrom } = require('./lib/seeded-random.js');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const out = path.resolve(option('--out', path.join(root, 'bench/data')));
const force = args.includes('--force');
const sizes = option('--sizes', '10k,100k,1m').split(',').map((s) => s.trim().toLowerCase());
const counts = { '10k': 10000, '100k': 100000, '1m': 1000000 };
for (const s of sizes) {
  if (!counts[s]) {
    console.error(`make-bench-survey: unknown size "${s}" (10k, 100k, 1m)`);
    process.exit(2);
  }
}

// 20 items: 11 benefits, 9 costs; half on 1–5, half on 0–10; two reverse-coded.
const items = [
  ['insights', 'Faster, better decisions', 'benefit', 'functional', 9, '1-5'],
  ['reliability', 'Reliability and uptime', 'benefit', 'functional', 8, '0-10'],
  ['savings', 'Cost savings', 'benefit', 'monetary', 7, '1-5'],
  ['confidence', 'Confidence and peace of mind', 'benefit', 'psychological', 5, '0-10'],
  ['recognition', 'Recognition from peers', 'benefit', 'social', 3, '1-5'],
  ['service', 'Service quality', 'benefit', 'experiential', 6, '0-10'],
  ['speed', 'Speed of reports', 'benefit', 'functional', 5, '1-5'],
  ['integrations', 'Integrations', 'benefit', 'functional', 4, '0-10'],
  ['community', 'Community and peers', 'benefit', 'social', 2, '1-5'],
  ['responsiveness', 'Responsiveness of support', 'benefit', 'experiential', 5, '0-10'],
  ['automation', 'Automation of routine work', 'benefit', 'functional', 6, '1-5'],
  ['price', 'Price and subscription fees', 'cost', 'price', 8, '0-10'],
  ['onboarding', 'Onboarding and implementation', 'cost', 'onboarding', 6, '1-5'],
  ['training', 'Training needed', 'cost', 'training', 4, '0-10'],
  ['upkeep', 'Maintenance burden', 'cost', 'support', 4, '1-5'],
  ['time', 'Time spent getting answers', 'cost', 'time', 5, '0-10'],
  ['effort', 'Effort to use', 'cost', 'effort', 5, '1-5'],
  ['frustration', 'Frustration', 'cost', 'frustration', 6, '0-10'],
  ['risk', 'Risk of lock-in', 'cost', 'risk', 4, '1-5'],
  ['hassle', 'Hassle-free renewals', 'cost', 'effort', 3, '1-5'],
].map(([id, label, side, kind, weight, scale]) => ({ id, label, side, kind, weight, scale }));
items[4].reverse = true; // recognition: asked as "I feel overlooked" (agree = low benefit)
items[19].reverse = true; // hassle: agree = low cost

const model = {
  schema: 'customer-value-model',
  version: 1,
  name: 'Benchmark: 20 items, two segment groups',
  currency: 'USD',
  items,
  segments: [
    { id: 'smb', label: 'SMB', group: 'size', weights: { price: 10, onboarding: 7 } },
    { id: 'ent', label: 'ENT', group: 'size', weights: { reliability: 10, risk: 8, price: 5 } },
    { id: 'new', label: 'new', group: 'tenure', weights: { training: 7 } },
    { id: 'adv', label: 'adv', group: 'tenure' },
  ],
  satisfaction: { csat_scale: '1-5', csat_satisfied_from: 4, ces_agree_from: 5 },
};

fs.mkdirSync(out, { recursive: true });
const modelPath = path.join(out, 'model.json');
fs.writeFileSync(modelPath, JSON.stringify(model, null, 1) + '\n');

function writeSurvey(rows, file, uuidIds) {
  const random = mulberry32(20261122 + rows);
  const idRandom = mulberry32(20261123 + rows); // apart, so the answers are the same either way
  const hex = (digits) => {
    let text = '';
    for (let k = 0; k < digits; k += 4) text += Math.floor(idRandom() * 65536).toString(16).padStart(4, '0');
    return text.slice(0, digits);
  };
  const idOf = (r) => (uuidIds ? `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`
    : `R${String(r + 1).padStart(7, '0')}`);
  const normal = normalFrom(random);
  const header = ['respondent_id', 'segment:size', 'segment:tenure', 'nps', 'csat', 'ces']
    .concat(items.map((item) => `${item.side}:${item.label}`));
  const fd = fs.openSync(file + '.tmp', 'w');
  let chunk = header.map((h) => (h.includes(',') ? `"${h}"` : h)).join(',') + '\n';
  const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, Math.round(x)));
  for (let r = 0; r < rows; r++) {
    const size = random() < 0.6 ? 'SMB' : 'ENT';
    const tenure = random() < 0.35 ? 'new' : random() < 0.97 ? 'adv' : '';
    const mood = normal(); // one latent attitude, so items correlate as in real surveys
    let lean = 0;
    const answers = items.map((item) => {
      if (random() < 0.01) return ''; // about 1% blanks: some respondents are incomplete
      const high = item.scale === '1-5' ? 5 : 10;
      const low = item.scale === '1-5' ? 1 : 0;
      const mid = (low + high) / 2 + (size === 'ENT' && item.side === 'cost' ? 0.3 : 0);
      const sign = item.side === 'benefit' ? 1 : -1;
      const spread = (high - low) / 4;
      const v = clamp(mid + spread * (0.6 * sign * mood + 0.8 * normal()), low, high);
      lean += sign * (v - mid) / spread;
      return String(v);
    });
    lean /= items.length;
    const skip = () => random() < 0.03;
    const nps = skip() ? '' : clamp(7 + 3 * lean + 1.5 * normal(), 0, 10);
    const csat = skip() ? '' : clamp(3.8 + lean + 0.7 * normal(), 1, 5);
    const ces = skip() ? '' : clamp(5 + lean + normal(), 1, 7);
    chunk += `${idOf(r)},${size},${tenure},${nps},${csat},${ces},${answers.join(',')}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  fs.renameSync(file + '.tmp', file);
}

const largest = sizes.reduce((a, b) => (counts[b] > counts[a] ? b : a));
const files = sizes.map((s) => [s, `survey-${s}.csv`, false]).concat([[largest, `survey-${largest}-uuid-ids.csv`, true]]);
for (const [s, name, uuidIds] of files) {
  const file = path.join(out, name);
  if (!force && fs.existsSync(file)) continue;
  const started = Date.now();
  writeSurvey(counts[s], file, uuidIds);
  const mb = fs.statSync(file).size / (1 << 20);
  console.log(`wrote ${path.relative(root, file)}: ${counts[s]} respondents, ${mb.toFixed(1)} MiB` +
              ` in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
