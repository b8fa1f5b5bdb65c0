// Pages of one object's connections read in the statement that reads the object (issue 13): a
// user(id) with their posts and followers, a post(id) with its comments. Each page is one JSON
// column of the object's row: the very subquery the LATERAL read of many parents runs
// (model/lateral.ts), aggregated in its order and decoded back into the rows that read returns.
import { Column, is, sql, SQL, type DriverValueDecoder, type Subquery } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { postCommentsPage } from './comments.js';
import { derivedValues, shapeSql, type RowShape, type ShapeSql } from './derived.js';
import { followPage } from './follows.js';
import { keysetOrder, pageSql, pageValues, type PageArgs, type PageSql } from './keyset.js';
import { authorPostsPage } from './posts.js';

/** The connections whose pages a read of their parent can carry. */
export type ChildConnection = 'authorPosts' | 'followers' | 'following' | 'postComments';

/** One page to read with its parent: of which connection, which page, what its rows carry. */
export type ChildPage = PageArgs & { connection: ChildConnection; shape: RowShape };

/** What of a ChildPage shapes a read's text (db/prepared.ts). */
export type ChildPageSql = { connection: ChildConnection; page: PageSql; shape: ShapeSql };

type Connection = {
  /** The parent's page (its id is `lateralParentId`), as the subquery `page`. */
  page: (db: Db, page: PageSql, shape: ShapeSql) => Subquery;
  /** The page's keyset columns, to order json_agg by: the order of an aggregate's input is not the subquery's. */
  keyset: [at: SQL, id: SQL];
};

const CONNECTIONS: Record<ChildConnection, Connection> = {
  // The author is the parent, read already: only the posts' derived values are carried.
  authorPosts: { page: (db, page, { derived }) => authorPostsPage(db, { page, derived }), keyset: [sql`page.created_at`, sql`page.id`] },
  followers: {
    page: (db, page, { derived }) => followPage(db, { direction: 'followers', page, derived }),
    keyset: [sql`page.followed_at`, sql`page.id`],
  },
  following: {
    page: (db, page, { derived }) => followPage(db, { direction: 'following', page, derived }),
    keyset: [sql`page.followed_at`, sql`page.id`],
  },
  postComments: { page: (db, page, { author }) => postCommentsPage(db, { page, author }), keyset: [sql`page.created_at`, sql`page.id`] },
};

// Two underscores, as model/derived.ts's author columns: no column of users or posts starts so.
const PAGE_PREFIX = 'page__';

// Each page's first/after are placeholders of their own: two pages of one statement may differ.
const slotOf = (index: number) => `${PAGE_PREFIX}${index}_`;

export const childPageSql = (pages: readonly ChildPage[]): ChildPageSql[] =>
  pages.map((child, i) => ({ connection: child.connection, page: pageSql(child, slotOf(i)), shape: shapeSql(child.shape) }));

/** The placeholders of childPageColumns: each page's limit and cursor, and the viewer of their flags. */
export function childPageValues(pages: readonly ChildPage[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  pages.forEach((child, i) => Object.assign(values, pageValues(child, slotOf(i)), dropNullViewer(derivedValues(child.shape))));
  return values;
}

// A request has one viewer; a page without flags must not clear the viewer another page's flags use.
const dropNullViewer = ({ viewerId }: { viewerId: number | null }) => (viewerId === null ? {} : { viewerId });

/** One JSON column per page (`page__0`, `page__1`…) for the select list of a read of their parents. */
export function childPageColumns(db: Db, pages: readonly ChildPageSql[]): Record<string, SQL.Aliased> {
  return Object.fromEntries(
    pages.map((child, i) => {
      const { page, keyset } = CONNECTIONS[child.connection];
      const order = keysetOrder(...keyset, child.page);
      const rows = sql`(select coalesce(json_agg(page order by ${order}), '[]') from ${page(db, child.page, child.shape)})`;
      return [`${PAGE_PREFIX}${i}`, rows.as(`${PAGE_PREFIX}${i}`)];
    }),
  );
}

/** Takes the pages off a row read with childPageColumns: the row itself, and each page's rows. */
export function splitChildPages(db: Db, row: Record<string, unknown>, pages: readonly ChildPageSql[]) {
  const own = Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith(PAGE_PREFIX)));
  const rows = pages.map((child, i) => {
    const decode = decoderOf(db, child);
    return (row[`${PAGE_PREFIX}${i}`] as Record<string, unknown>[]).map((json) => decode(json));
  });
  return { row: own, pages: rows };
}

type Decode = (json: Record<string, unknown>) => object;

// By connection and row shape: a finite set (which derived values, whether an author).
const decoders = new Map<string, Decode>();

/**
 * JSON has no timestamps, and its keys are the columns' names: each value goes back through its
 * field's own mapping (a Date from its text), under its field's key, as a read of the page's rows
 * returns them; a comment's author comes nested, as authorColumns selects it (model/derived.ts).
 */
function decoderOf(db: Db, child: ChildPageSql): Decode {
  const id = `${child.connection}|${JSON.stringify(child.shape)}`;
  let decode = decoders.get(id);
  if (!decode) {
    // Neither the cursor nor the order changes what a page selects.
    const page = CONNECTIONS[child.connection].page(db, { hasCursor: false, order: 'newest-first', slot: '' }, child.shape);
    decode = selectionDecoder(page._.selectedFields);
    decoders.set(id, decode);
  }
  return decode;
}

type Json = Record<string, unknown>;

function selectionDecoder(selection: Readonly<Record<string, unknown>>): (json: Json) => Json {
  const fields = Object.entries(selection).map(([key, field]) => ({ key, decode: fieldDecoder(key, field) }));
  return (json) => {
    const row: Json = {};
    for (const { key, decode } of fields) row[key] = decode(json);
    return row;
  };
}

function fieldDecoder(key: string, field: unknown): (json: Json) => unknown {
  if (is(field, Column)) return valueDecoder(field.name, field);
  if (is(field, SQL.Aliased)) {
    // What mapWith set (drizzle's own row mapping reads the same member, typed internal).
    const { decoder } = field.sql as unknown as { decoder: DriverValueDecoder<unknown, unknown> };
    return valueDecoder(field.fieldAlias, decoder);
  }
  // A nested selection (a comment's `author`): its columns are the page's, flat in the JSON.
  if (field !== null && typeof field === 'object' && !is(field, SQL)) return selectionDecoder(field as Json);
  throw new Error(`expected a column, an aliased expression or a nested selection in a page's select list, found ${key}`);
}

function valueDecoder(name: string, decoder: DriverValueDecoder<unknown, unknown>): (json: Json) => unknown {
  return (json) => (json[name] === null ? null : decoder.mapFromDriverValue(json[name]));
}
