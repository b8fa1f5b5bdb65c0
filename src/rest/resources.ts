// The REST representation of each resource, written as a GraphQL fragment: its aliases are the
// REST field names (snake_case), so a result needs no renaming, and the OpenAPI schema of each
// resource is read from the fragment and the GraphQL schema (./openapi.ts). One source for what
// a resource is, what is fetched for it, and what the document promises.
//
// A field `<name>_id: <field> { id }` is a reference: the response holds the id itself
// (flattenReferences in ./envelope.ts).

export type ResourceName = 'User' | 'Post' | 'Comment';

export const RESOURCE_FRAGMENTS: Record<ResourceName, string> = {
  User: `fragment User on User {
  id
  name
  email
  created_at: createdAt
  posts_count: postsCount
  followers_count: followersCount
  following_count: followingCount
  viewer_is_following: viewerIsFollowing
}`,
  Post: `fragment Post on Post {
  id
  title
  content
  author { id name }
  created_at: createdAt
  updated_at: updatedAt
  comments_count: commentsCount
  likes_count: likesCount
  viewer_has_liked: viewerHasLiked
}`,
  Comment: `fragment Comment on Comment {
  id
  body
  author { id name }
  post_id: post { id }
  created_at: createdAt
}`,
};

/** The suffix that marks a reference field (see the header). */
export const REFERENCE_SUFFIX = '_id';
