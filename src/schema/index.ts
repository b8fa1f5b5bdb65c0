// The schema: imports every type module (each registers itself on the builder), then builds.
// The only caller of toSchema.
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './node.js';
import './user.js';
import './post.js';
import './comment.js';
import './derived.js';
import './account.js';
import './user-mutations.js';
import './post-mutations.js';
import './rate-limit.js';

export const schema = lexicographicSortSchema(builder.toSchema());
