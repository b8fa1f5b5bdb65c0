// What the soak's server printed (it runs at LOG_LEVEL=warn): its lines counted by level and
// message, a few kept whole. A warning or error under a load that should raise none is a finding.

const LEVELS = { 40: 'warn', 50: 'error', 60: 'fatal' };
/** @default 10 lines kept whole. */
const KEPT_LINES = 10;

export function createLogCounter() {
  const counts = {};
  const examples = [];
  let partial = '';
  return {
    counts,
    examples,
    onOutput(chunk) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines.filter(Boolean)) {
        const key = describe(line);
        counts[key] = (counts[key] ?? 0) + 1;
        if (examples.length < KEPT_LINES) examples.push(line.slice(0, 1000));
      }
    },
  };
}

function describe(line) {
  try {
    const { level, msg } = JSON.parse(line);
    return `${LEVELS[level] ?? level}: ${msg}`;
  } catch {
    return 'not a log line (stderr)';
  }
}
