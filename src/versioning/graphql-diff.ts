// The GraphQL half of api:diff: graphql-inspector's comparison of two SDL texts, as ApiChanges
// named by schema coordinates (the form src/api/deprecations.ts uses).
import { CriticalityLevel, diff, type Change as AnyChange, type ChangeType } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import type { ApiChange, ChangeLevel } from './api-change.js';

/** inspector's Change, with its type as the union of change types rather than `any`. */
type Change = AnyChange<(typeof ChangeType)[keyof typeof ChangeType]>;

const REMOVALS = new Set<string>(['TYPE_REMOVED', 'FIELD_REMOVED', 'FIELD_ARGUMENT_REMOVED', 'INPUT_FIELD_REMOVED', 'ENUM_VALUE_REMOVED']);

export async function graphqlChanges(releasedSdl: string, currentSdl: string): Promise<ApiChange[]> {
  const changes = (await diff(buildSchema(releasedSdl), buildSchema(currentSdl))) as Change[];
  return (
    changes
      // Adding or removing @deprecated is reported again as a directive change: keep one of the two.
      .filter((change) => !isDeprecatedDirectiveUsage(change))
      .map((change) => ({
        level: levelOf(change),
        target: coordinateOf(change),
        message: change.message,
        ...(REMOVALS.has(change.type) && { isRemoval: true }),
      }))
  );
}

function levelOf(change: Change): ChangeLevel {
  if (change.criticality.level === CriticalityLevel.Breaking) return 'breaking';
  if (change.criticality.level === CriticalityLevel.Dangerous) return 'dangerous';
  return /DEPRECATION.*ADDED$/.test(change.type) ? 'deprecation' : 'non-breaking';
}

/** inspector's path names an argument `Type.field.arg`; the schema coordinate is `Type.field(arg:)`. */
function coordinateOf(change: Change): string {
  const path = change.path ?? '';
  const parts = path.split('.');
  if (change.type.startsWith('FIELD_ARGUMENT_') && parts.length === 3) return `${parts[0]!}.${parts[1]!}(${parts[2]!}:)`;
  // Paths past the coordinate (`Post.title.@deprecated`) name what changed on it.
  const at = parts.findIndex((part) => part.startsWith('@'));
  return at > 0 ? parts.slice(0, at).join('.') : path;
}

function isDeprecatedDirectiveUsage(change: Change): boolean {
  if (!change.type.startsWith('DIRECTIVE_USAGE_')) return false;
  const meta = change.meta as Record<string, unknown>;
  return [meta.addedDirectiveName, meta.removedDirectiveName, meta.directiveName].includes('deprecated');
}
