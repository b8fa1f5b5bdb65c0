// yoga's CORS (useCORS in @whatwg-node/server) *sets* Vary: Origin when a request has an Origin,
// dropping the Vary an answer had; it runs before our plugins' onResponse, where this puts it back.

/** `current` with every field name of `ours` it lacks (field names compare case-insensitively). */
export function mergeVary(current: string | null, ours: string): string {
  const names = (current ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const present = new Set(names.map((name) => name.toLowerCase()));
  for (const name of ours.split(',').map((part) => part.trim())) {
    if (name && !present.has(name.toLowerCase())) {
      names.push(name);
      present.add(name.toLowerCase());
    }
  }
  return names.join(', ');
}
