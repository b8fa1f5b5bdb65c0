// The connections under one object (a user's posts, a post's comments): their resolver, and which
// of their pages a read of the object carries (schema/carried-reads.ts): those its selection asks
// for, each with the arguments and the row shape its field will load it with, so that the page the
// read primes is the very one the field asks for.
import { getArgumentValues, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { childPageLoader } from '../loaders/carrying.js';
import { pageArgsId } from '../loaders/pages.js';
import type { ChildConnection, ChildPage } from '../model/child-pages.js';
import type { Keyset, Order, Page } from '../model/keyset.js';
import { pageProblems } from '../pagination/bounds.js';
import { readPage, toConnection, type Connection, type FieldPageArgs } from './pagination.js';
import { DEFAULT_POST_ORDER } from './post-order.js';
import { rowShapeOf, selectedFields, type RowType } from './selection.js';

/**
 * A connection field whose pages a read of its parent can carry, what its pages hold, and their
 * order: the field's own, or its default when it takes an `order` argument.
 */
export type ChildField = { connection: ChildConnection; rows: RowType; order: Order };

export type ParentType = 'User' | 'Post';

/** The connection fields of each type whose pages are read with it; each one's resolver is childPages (below). */
export const CHILD_FIELDS = {
  User: {
    posts: { connection: 'authorPosts', rows: 'Post', order: DEFAULT_POST_ORDER },
    followers: { connection: 'followers', rows: 'User', order: 'newest-first' },
    following: { connection: 'following', rows: 'User', order: 'newest-first' },
  },
  Post: { comments: { connection: 'postComments', rows: 'Comment', order: 'oldest-first' } },
} as const satisfies Record<ParentType, Record<string, ChildField>>;

/** One response key of a child connection: its field, and its nodes (the child's own fieldNodes). */
type Planned = { name: string; child: ChildField; nodes: FieldNode[] };

// Per field of a document and parent type, as selection.ts keeps row shapes: the document alone
// decides it. The nodes arrays kept here are then the same on every request, and so is the row
// shape selection.ts keeps for each.
const plans = new WeakMap<readonly FieldNode[], Map<ParentType, Planned[]>>();

function planOf(info: GraphQLResolveInfo, type: ParentType): Planned[] {
  let byType = plans.get(info.fieldNodes);
  if (!byType) plans.set(info.fieldNodes, (byType = new Map<ParentType, Planned[]>()));
  let plan = byType.get(type);
  if (!plan) byType.set(type, (plan = childFieldsOf(info, type)));
  return plan;
}

function childFieldsOf(info: GraphQLResolveInfo, type: ParentType): Planned[] {
  const children: Record<string, ChildField> = CHILD_FIELDS[type];
  const byKey = new Map<string, Planned & { isConditional: boolean }>();
  for (const node of info.fieldNodes) {
    if (!node.selectionSet) continue;
    for (const { field, isConditional } of selectedFields(info, node.selectionSet)) {
      const child = children[field.name.value];
      if (!child) continue;
      const key = field.alias?.value ?? field.name.value;
      const planned = byKey.get(key) ?? { name: field.name.value, child, nodes: [], isConditional: false };
      planned.nodes.push(field);
      planned.isConditional ||= isConditional;
      byKey.set(key, planned);
    }
  }
  // Which nodes of a field under @skip or @include execution merges depends on the variables:
  // such a field loads its own page, as it would without carrying.
  return [...byKey.values()].filter((planned) => !planned.isConditional).map(({ name, child, nodes }) => ({ name, child, nodes }));
}

/**
 * The pages the selection of a `type` (user(id), node(id)…) asks of its connections, each once.
 * A page whose first/after are wrong is left to its field, which reports them.
 */
export function childPagesOf(ctx: Context, info: GraphQLResolveInfo, type: ParentType): ChildPage[] {
  const plan = planOf(info, type);
  if (plan.length === 0) return [];
  const fields = (info.schema.getType(type) as GraphQLObjectType).getFields();
  const pages = new Map<string, ChildPage>();
  for (const { name, child, nodes } of plan) {
    const args = getArgumentValues(fields[name]!, nodes[0]!, info.variableValues) as FieldPageArgs;
    if (pageProblems(args).length > 0) continue;
    const shape = rowShapeOf(ctx, { fieldNodes: nodes, fragments: info.fragments }, child.rows);
    const page: ChildPage = { connection: child.connection, ...readPage(args, child.order), shape };
    pages.set(`${page.connection}:${pageArgsId(page)}`, page);
  }
  // In one order whatever the document's: parents asking the same pages share one statement text
  // and one batch.
  return [...pages.keys()].sort().map((id) => pages.get(id)!);
}

/**
 * The resolver of a nested connection: the parent's page, from a loader that fetches the pages
 * of every parent of the request at once, or that a read of the parent primed with it
 * (childPagesOf).
 */
export function childPages<T>(child: ChildField, keysetOf: (row: T) => Keyset) {
  return async (parent: { id: number }, args: FieldPageArgs, ctx: Context, info: GraphQLResolveInfo): Promise<Connection<T>> => {
    const key = { parentId: parent.id, ...readPage(args, child.order), shape: rowShapeOf(ctx, info, child.rows) };
    return toConnection((await childPageLoader(ctx.loaders, child.connection).load(key)) as Page<T>, keysetOf);
  };
}
