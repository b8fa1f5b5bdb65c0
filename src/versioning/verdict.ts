// Whether the current API may ship, given its changes since the last release (README, "Versioning
// and deprecation"): a breaking change needs a new major at the top of CHANGELOG.md that lists it,
// and nothing deprecated may go before its sunset.
import type { DeprecationRegistry } from '../api/deprecation-registry.js';
import type { ApiChange } from './api-change.js';
import { isListed, majorOf, topRelease } from './changelog.js';

export type VerdictInput = {
  changes: readonly ApiChange[];
  changelog: string;
  /** api/released/VERSION. */
  releasedVersion: string;
  deprecations: DeprecationRegistry;
  /** YYYY-MM-DD, UTC. */
  today: string;
};

/** Why the changes may not ship; [] when they may. */
export function refusals({ changes, changelog, releasedVersion, deprecations, today }: VerdictInput): string[] {
  const problems: string[] = [];
  for (const change of changes) {
    const entry = change.isRemoval ? deprecations.get(change.target) : undefined;
    if (entry && today < entry.sunset) problems.push(`${change.target} is removed before its sunset (${entry.sunset})`);
  }
  const breaking = [...new Set(changes.filter((change) => change.level === 'breaking').map((change) => change.target))];
  if (breaking.length === 0) return problems;
  const release = topRelease(changelog);
  const releasedMajor = majorOf(releasedVersion);
  if (!release || release.major <= releasedMajor) {
    const next = `${String(releasedMajor + 1)}.0.0`;
    problems.push(
      `breaking changes need a new major version: add a \`## [${next}]\` section at the top of CHANGELOG.md that lists each of them`,
    );
    return problems;
  }
  for (const target of breaking) {
    if (!isListed(release, target))
      problems.push(`breaking change to \`${target}\` is not listed under ${release.version} in CHANGELOG.md`);
  }
  return problems;
}
