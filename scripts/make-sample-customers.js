#!/usr/bin/env node
// Writes web/sample/customers.csv: a deterministic (seeded) customer table for the sample,
// with ids that match the sample survey's respondents (R0001…) so the two join, plus a few
// customers who did not answer the survey. Some happy customers cost more to serve than they
// bring in: the "satisfied but value-eroding" quadrant the calculator exists to find.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const survey = JSON.parse(fs.readFileSync(path.join(root, 'web/sample/survey.json'), 'utf8'));

const { mulberry32 } = require('./lib/seeded-random.js');
const random = mulberry32(4242);
const pick = (p) => random() < p;
const round = (x, step) => Math.round(x / step) * step;
const day = (d) => new Date(Date.UTC(2026, 10, 1) - d * 86400000).toISOString().slice(0, 10);

const header = ['customer_id', 'segment:Company size', 'MRR 2026-09', 'MRR 2026-10', 'MRR 2026-11',
  'gross_margin', 'support_hours', 'onboarding_cost', 'discounts', 'start_date', 'churn_date',
  'usage', 'payment_status'];
const rows = [header.join(',')];
const ids = survey.rows.map((r) => ({ id: r.id, size: r.segments[0] === 'enterprise' ? 'Enterprise' : 'SMB', nps: r.nps }));
for (let i = 0; i < 12; i++) ids.push({ id: 'C' + String(i + 1).padStart(4, '0'), size: pick(0.6) ? 'SMB' : 'Enterprise', nps: null });

for (const c of ids) {
  const enterprise = c.size === 'Enterprise';
  let mrr = round(enterprise ? 2500 + 4000 * random() : 300 + 900 * random(), 10);
  const tenureDays = Math.floor(60 + 900 * random());
  const churned = pick(0.08);
  const happy = c.nps !== null && c.nps >= 9;
  // A costly-to-serve minority, more often among the happy: discounts and support buy the smile.
  const costly = pick(happy ? 0.22 : 0.08);
  const support = round((enterprise ? 6 : 2) * (0.5 + random()) * (costly ? 5 : 1), 0.5);
  const discounts = costly ? round(mrr * (0.25 + 0.3 * random()), 10) : (pick(0.2) ? round(mrr * 0.1, 10) : 0);
  const onboarding = tenureDays < 120 ? round((enterprise ? 1500 : 300) * (0.5 + random()), 10) : 0;
  const mrrSeries = [mrr, mrr, mrr];
  if (pick(0.15)) mrrSeries[2] = round(mrr * (1.1 + 0.4 * random()), 10); // expansion
  else if (pick(0.08)) mrrSeries[2] = round(mrr * (0.6 + 0.3 * random()), 10); // contraction
  if (churned) mrrSeries[2] = 0;
  if (tenureDays < 40) mrrSeries[0] = 0;
  const margin = (enterprise ? 72 : 65) + Math.round(10 * random());
  const usage = Math.round(Math.min(100, Math.max(5, (c.nps === null ? 60 : 30 + 6 * c.nps) + 20 * (random() - 0.5))));
  const payment = pick(0.85) ? 'current' : pick(0.7) ? 'late' : 'failed';
  rows.push([c.id, c.size, ...mrrSeries, margin + '%', support, onboarding, discounts,
    day(tenureDays), churned ? day(Math.floor(tenureDays * random() * 0.3)) : '', usage + '%', payment].join(','));
}
fs.writeFileSync(path.join(root, 'web/sample/customers.csv'), rows.join('\n') + '\n');
console.log('wrote web/sample/customers.csv:', rows.length - 1, 'customers');
