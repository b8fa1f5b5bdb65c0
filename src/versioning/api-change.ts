// One difference between the released API and the current one, GraphQL or REST, as api:diff
// (src/scripts/api-diff.ts) reports and judges it.

/**
 * breaking: a client written against the released API may fail; dangerous: it may misbehave (a
 * new enum value it does not know); deprecation: something newly deprecated.
 */
export type ChangeLevel = 'breaking' | 'dangerous' | 'non-breaking' | 'deprecation';

export type ApiChange = {
  level: ChangeLevel;
  /**
   * What changed, as the CHANGELOG must name it: a GraphQL schema coordinate (`Post.likesCount`,
   * `Query.posts(first:)`) or a REST operation (`GET /v1/posts/{id}`).
   */
  target: string;
  message: string;
  /** Set when the target itself is gone (not just changed): it must be past its sunset. */
  isRemoval?: boolean;
};
