// The operation_name label, bounded: a client names its operations as it likes, and every new
// label value is a new time series kept for the life of the process. The first names seen are
// kept as they are; past MAX_NAMES, or past MAX_NAME_LENGTH characters, a name is counted as
// "other". Unnamed operations share "anonymous".

/** @default 200 distinct operation names per process: the application's own, with room to spare. */
const MAX_NAMES = 200;
const MAX_NAME_LENGTH = 100;

export function operationNames(): (name: string | null | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return 'anonymous';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_NAMES || name.length > MAX_NAME_LENGTH) return 'other';
    seen.add(name);
    return name;
  };
}
