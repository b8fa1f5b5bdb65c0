// api:diff's report: each API's changes grouped by level, most serious first.
import type { ApiChange, ChangeLevel } from './api-change.js';

const HEADINGS: [ChangeLevel, string][] = [
  ['breaking', 'Breaking'],
  ['dangerous', 'Dangerous (not breaking, but check clients)'],
  ['deprecation', 'Deprecations added'],
  ['non-breaking', 'Non-breaking'],
];

export function formatReport(api: string, changes: readonly ApiChange[]): string {
  if (changes.length === 0) return `${api}: no changes since the released version.`;
  const lines = [`${api}: ${String(changes.length)} change(s) since the released version.`];
  for (const [level, heading] of HEADINGS) {
    const ofLevel = changes.filter((change) => change.level === level);
    if (ofLevel.length === 0) continue;
    lines.push(`  ${heading}:`);
    for (const change of ofLevel) lines.push(`    - \`${change.target}\`: ${change.message}`);
  }
  return lines.join('\n');
}
