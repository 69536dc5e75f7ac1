import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { toSchema } from '../src/graphql/index.js';

/** Writes the sorted SDL that clients and codegen read; CI fails when it differs from the code. */
const target = new URL('../schema/schema.graphql', import.meta.url);
writeFileSync(target, `${printSchema(toSchema())}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
