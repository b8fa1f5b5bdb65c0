-- What a PostGraphile user adds to the database for the bench's four operations: the counts,
-- viewerHasLiked and the feed, as SQL functions in a schema of their own. The app's tables are
-- left as they are. bench/postgraphile-server.mjs runs this file at start: every statement is
-- idempotent.
--
-- Every function is LANGUAGE sql and STABLE. To PostGraphile a VOLATILE function is a mutation;
-- a stable one whose first argument is a row is a computed column, selected inside the query it
-- builds for the selection (no statement of its own). Postgres inlines the set-returning feed()
-- into that query, so the feed is planned as raw's is.
--
-- The viewer comes from the transaction settings PostGraphile sets per request (pgSettings):
-- jwt.claims.user_id and jwt.claims.token_version, from a JWT the server has verified.

-- One implicit transaction (the file is sent as one query): two benches starting at once take
-- turns instead of failing on a concurrently updated function.
select pg_advisory_xact_lock(hashtext('social-graphql-bench postgraphile.sql'));

create schema if not exists postgraphile;

-- A computed column is a function whose first argument is a table row: <table>_<field>(row).
-- count(*) is bigint, which PostGraphile exposes as a BigInt string: int is what ours returns.
create or replace function postgraphile.users_followers_count(u public.users) returns int
  language sql stable
  as $$ select count(*)::int from public.follows f where f.followee_id = u.id $$;

create or replace function postgraphile.posts_comments_count(p public.posts) returns int
  language sql stable
  as $$ select count(*)::int from public.comments c where c.post_id = p.id $$;

create or replace function postgraphile.posts_likes_count(p public.posts) returns int
  language sql stable
  as $$ select count(*)::int from public.likes l where l.post_id = p.id $$;

-- False for an anonymous request: the setting is then missing.
create or replace function postgraphile.posts_viewer_has_liked(p public.posts) returns boolean
  language sql stable
  as $$
    select exists (
      select 1 from public.likes l
      where l.user_id = nullif(current_setting('jwt.claims.user_id', true), '')::int and l.post_id = p.id)
  $$;

-- The viewer's feed: their own posts and those of everyone they follow, newest first. A token
-- whose version logOut has since advanced finds no viewer, hence an empty feed (as raw does).
create or replace function postgraphile.feed() returns setof public.posts
  language sql stable
  as $$
    with viewer as (
      select u.id from public.users u
      where u.id = nullif(current_setting('jwt.claims.user_id', true), '')::int
        and u.token_version = nullif(current_setting('jwt.claims.token_version', true), '')::int)
    select p.* from public.posts p
    where p.author_id = (select id from viewer)
       or p.author_id in (select f.followee_id from public.follows f where f.follower_id = (select id from viewer))
    order by p.created_at desc, p.id desc
  $$;

-- Functions outside the first exposed schema get the schema as a prefix (postgraphileFeed): the
-- @name smart tag keeps the field name a client would expect.
comment on function postgraphile.feed() is E'@name feed\nThe signed-in viewer''s feed: their own posts and those of everyone they follow, newest first.';
