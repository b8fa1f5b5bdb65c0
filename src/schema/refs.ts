// The three entity types refer to one another (a post's author, a user's posts, a comment's
// post), so their refs and connection pairs are declared here, apart from the modules that
// implement them (post.ts, user.ts, comment.ts): each of those imports this, never the others.
import type { CommentRow, PostRow, UserRow } from '../db/schema.js';
import { builder } from './builder.js';

export const Post = builder.objectRef<PostRow>('Post');
export const User = builder.objectRef<UserRow>('User');
export const Comment = builder.objectRef<CommentRow>('Comment');

export const PostConnection = builder.connectionObject(
  {
    type: Post,
    name: 'PostConnection',
    description: 'A page of posts.',
    edgesNullable: { list: false, items: false },
    nodeNullable: false,
  },
  { description: 'A post in a page, with its cursor.' },
);

export const UserConnection = builder.connectionObject(
  {
    type: User,
    name: 'UserConnection',
    description: 'A page of users.',
    edgesNullable: { list: false, items: false },
    nodeNullable: false,
  },
  { description: 'A user in a page, with its cursor.' },
);

export const CommentConnection = builder.connectionObject(
  {
    type: Comment,
    name: 'CommentConnection',
    description: 'A page of comments.',
    edgesNullable: { list: false, items: false },
    nodeNullable: false,
  },
  { description: 'A comment in a page, with its cursor.' },
);
