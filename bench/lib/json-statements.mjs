// The bench's four operations each as ONE statement whose JSON answer Postgres builds (json_agg,
// LATERAL), and their parameters from a request: shared by the two servers that send one
// statement per request, raw (the JSON as text, straight into the response) and floor (the JSON
// parsed, handed to graphql-jit). Same answers as ours, from our global ids and cursors.
import { jwtVerify } from 'jose';

// DateTime as our server serializes it: ISO 8601 in UTC with milliseconds.
const iso = (column) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const edges = (aggregate) => `json_build_object('edges', coalesce((${aggregate}), '[]'::json))`;
const followersCount = (userId) => `(select count(*) from follows where followee_id = ${userId})`;

/**
 * By operation name: a statement returning one row with one column, `data`, the operation's whole
 * `data` as `type`: 'text' for a server that writes it out as it is (pg does not parse what would
 * only be serialized again), 'json' for one that resolves fields from it (pg parses it).
 */
export const statementsReturning = (type) => ({
  // $1 viewer id, $2 token version: a revoked token (logOut) sees an empty feed here, where our
  // server refuses the request; the bench never revokes.
  feed: `
    with viewer as (select id from users where id = $1 and token_version = $2),
    -- The same two plans as ours (src/model/posts.ts feedPage): a seek per followee when the
    -- viewer follows at most 100 users, else a walk of all posts; a one-time filter picks one.
    few as (select (select count(*) from (select 1 from follows where follower_id = $1 limit 101) f) <= 100 as yes),
    page as (
      select p.* from posts p
      where p.id in (
        select id from (
          (select n.id, n.created_at
            from (select id as author_id from viewer
                  union all select followee_id from follows where follower_id = (select id from viewer)) a
            cross join lateral (select id, created_at from posts where author_id = a.author_id
                                order by created_at desc, id desc limit 20) n
            where (select yes from few))
          union all
          (select id, created_at from posts
            where (author_id = (select id from viewer)
                   or author_id in (select followee_id from follows where follower_id = (select id from viewer)))
              and not (select yes from few)
            order by created_at desc, id desc limit 20)
        ) candidates order by created_at desc, id desc limit 20)
      order by p.created_at desc, p.id desc
      limit 20)
    select json_build_object('feed', ${edges(`
      select json_agg(json_build_object('node', json_build_object(
        'title', p.title,
        'createdAt', ${iso('p.created_at')},
        'author', (select json_build_object('name', u.name, 'followersCount', ${followersCount('u.id')}) from users u where u.id = p.author_id),
        'commentsCount', (select count(*) from comments c where c.post_id = p.id),
        'likesCount', (select count(*) from likes l where l.post_id = p.id),
        'viewerHasLiked', exists (select 1 from likes l where l.user_id = $1 and l.post_id = p.id),
        'comments', ${edges(`
          select json_agg(json_build_object('node', json_build_object('body', c.body, 'author', json_build_object('name', cu.name)))
                          order by c.created_at, c.id)
          from (select * from comments where post_id = p.id order by created_at, id limit 3) c
          join users cu on cu.id = c.author_id`)}
      )) order by p.created_at desc, p.id desc)
      from page p`)})::${type} as data`,
  // $1 user id
  profile: `
    select json_build_object('user', (
      select json_build_object(
        'name', u.name,
        'followersCount', ${followersCount('u.id')},
        'posts', ${edges(`
          select json_agg(json_build_object('node', json_build_object(
            'title', p.title, 'commentsCount', (select count(*) from comments c where c.post_id = p.id)))
            order by p.created_at desc, p.id desc)
          from (select * from posts where author_id = u.id order by created_at desc, id desc limit 10) p`)},
        'followers', ${edges(`
          select json_agg(json_build_object('node', json_build_object('name', fu.name, 'followersCount', ${followersCount('fu.id')}))
                          order by f.created_at desc, f.follower_id desc)
          from (select * from follows where followee_id = u.id order by created_at desc, follower_id desc limit 10) f
          join users fu on fu.id = f.follower_id`)})
      from users u where u.id = $1))::${type} as data`,
  // $1 cursor time, $2 cursor id (keyset: strictly older than the cursor, newest first)
  deepPage: `
    select json_build_object('posts', ${edges(`
      select json_agg(json_build_object('node', json_build_object('title', p.title, 'author', json_build_object('name', u.name)))
                      order by p.created_at desc, p.id desc)
      from (select * from posts where (created_at, id) < ($1, $2) order by created_at desc, id desc limit 20) p
      join users u on u.id = p.author_id`)})::${type} as data`,
  // $1 post id
  node: `select json_build_object('node', (select json_build_object('title', title) from posts where id = $1))::${type} as data`,
});

/**
 * The statement's parameters from the request (the operation's variables, or arguments: they
 * have the same names), or null when they are missing or malformed. The feed's viewer comes
 * from the HS256 token our server signed, verified with `secret` (JWT_SECRET's bytes).
 */
export async function paramsOf(operation, variables, authorization, secret) {
  switch (operation) {
    case 'feed': {
      const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
      if (!token) return null;
      const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: 'social-graphql', audience: 'social-graphql' });
      return [Number(payload.sub), payload.ver];
    }
    case 'profile':
      return idOf(variables.id, 'User');
    case 'node':
      return idOf(variables.id, 'Post');
    case 'deepPage': {
      const match = /^(\d+):(\d+)$/.exec(Buffer.from(String(variables.after), 'base64url').toString('latin1'));
      return match ? [new Date(Number(match[1])), Number(match[2])] : null;
    }
    default:
      return null;
  }
}

// Global ids are base64("<Type>:<id>"), as our server makes them.
function idOf(globalId, typename) {
  const match = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(String(globalId), 'base64').toString('utf8'));
  return match && match[1] === typename ? [Number(match[2])] : null;
}
