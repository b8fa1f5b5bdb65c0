// Reads CHANGELOG.md (Keep a Changelog: `## [Unreleased]`, then `## [2.0.0] - 2027-08-01`, newest
// first) for what api:diff needs: the next version and the text of its section.

export type Release = { version: string; major: number; text: string };

const VERSION_HEADING = /^## \[(\d+)\.(\d+)\.(\d+)\]/;

/** The first versioned section (`## [Unreleased]` is skipped), or null when there is none. */
export function topRelease(changelog: string): Release | null {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => VERSION_HEADING.test(line));
  if (start < 0) return null;
  const [, major, minor, patch] = VERSION_HEADING.exec(lines[start]!)!;
  const length = lines.slice(start + 1).findIndex((line) => line.startsWith('## '));
  const section = lines.slice(start, length < 0 ? undefined : start + 1 + length);
  return { version: `${major!}.${minor!}.${patch!}`, major: Number(major), text: section.join('\n') };
}

/** The numbers of a `1.2.3` version (the content of api/released/VERSION). */
export function versionParts(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!match) throw new Error(`${JSON.stringify(version.trim())} is not a MAJOR.MINOR.PATCH version`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export const majorOf = (version: string): number => versionParts(version)[0];

export function isNewer(version: string, than: string): boolean {
  const [a, b] = [versionParts(version), versionParts(than)];
  const differing = a.findIndex((part, k) => part !== b[k]);
  return differing >= 0 && a[differing]! > b[differing]!;
}

/** A change is listed when its target appears as code, between backticks: `Post.likesCount`. */
export function isListed(release: Release, target: string): boolean {
  return release.text.includes(`\`${target}\``);
}
