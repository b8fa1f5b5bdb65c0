// The order of a list of posts, which its client picks, and the page arguments of such a list.
import type { Order } from '../model/keyset.js';
import { builder } from './builder.js';
import { pageArgs } from './pagination.js';

/** A list of posts is newest first unless its client asks otherwise. */
export const DEFAULT_POST_ORDER: Order = 'newest-first';

export const PostOrder = builder.enumType('PostOrder', {
  description: 'Which posts a list of posts starts with. Either way, `after` pages through it.',
  values: {
    NEWEST_FIRST: { value: 'newest-first', description: 'The most recently published first (the default).' },
    OLDEST_FIRST: {
      value: 'oldest-first',
      description: 'The earliest published first: posts published while you page through it come on its last pages.',
    },
  } as const,
});

/** first/after, and the order to walk the posts in. */
export const postPageArgs = builder.args((t) => ({
  ...pageArgs,
  order: t.field({
    type: PostOrder,
    defaultValue: DEFAULT_POST_ORDER,
    description: 'Newest or oldest first. A cursor from a page in either order means "after that post" in this one.',
  }),
}));
