// Reads Prometheus text exposition (format 0.0.4, what GET /metrics serves) into plain data:
// { <sample name>: [[labels, value], …] }, histogram samples under their own names (x_bucket,
// x_sum, x_count), as PromQL sees them. Comments, timestamps and help text are dropped.

/** The samples of `text` whose family is in `families` (all when null). */
export function parseMetrics(text, families = null) {
  const samples = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const { name, labels, value } = parseLine(line);
    if (families && !families.includes(familyOf(name))) continue;
    (samples[name] ??= []).push([labels, value]);
  }
  return samples;
}

/** A histogram's or summary's sample name → its family's (x_bucket → x); others are their own. */
export const familyOf = (name) => name.replace(/_(bucket|sum|count)$/, '');

function parseLine(line) {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace === -1 || brace > space) return { name: line.slice(0, space), labels: {}, value: toNumber(line.slice(space + 1)) };
  const labels = {};
  let at = brace + 1;
  // Label values may hold anything escaped (\\ \" \n), commas and braces included: walk them.
  while (line[at] !== '}') {
    const equals = line.indexOf('="', at);
    const key = line.slice(at, equals);
    let value = '';
    for (at = equals + 2; line[at] !== '"'; at++) {
      if (line[at] === '\\') value += unescape(line[++at]);
      else value += line[at];
    }
    labels[key] = value;
    at += line[at + 1] === ',' ? 2 : 1;
  }
  return { name: line.slice(0, brace), labels, value: toNumber(line.slice(at + 2)) };
}

const unescape = (char) => (char === 'n' ? '\n' : char);

/** The value, a timestamp after it dropped; null for +Inf, -Inf and NaN, which JSON cannot hold. */
function toNumber(text) {
  const value = Number(text.trim().split(' ')[0]);
  return Number.isFinite(value) ? value : null;
}
