// The derived fields of Post and User (counts, the viewer's flags): one GraphQL field per
// declaration in model/derived-fields.ts, resolved by that field's loader (loaders/derived.ts).
import type { ObjectRef } from '@pothos/core';
import { DERIVED, derivedNamesOf, isCount, type Owner } from '../model/derived-fields.js';
import { builder } from './builder.js';
import { Post, User } from './refs.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function addDerivedFields<Row extends { id: number }>(ref: ObjectRef<Types, Row>, owner: Owner): void {
  builder.objectFields(ref, (t) =>
    Object.fromEntries(
      derivedNamesOf(owner).map((name) => {
        const { description } = DERIVED[name];
        const field = isCount(name)
          ? t.int({ description, resolve: (row, _args, ctx) => ctx.loaders.derived[name].load(row.id) })
          : t.boolean({ description, resolve: (row, _args, ctx) => ctx.loaders.derived[name].load(row.id) });
        return [name, field];
      }),
    ),
  );
}

addDerivedFields(Post, 'Post');
addDerivedFields(User, 'User');
