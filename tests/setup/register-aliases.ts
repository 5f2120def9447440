// Jest loads global setup with its transform but without moduleNameMapper; this makes the
// `@openccs/*` aliases of tsconfig.json resolve there too.
import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import tsconfig from '../../tsconfig.json';

register({ baseUrl: join(__dirname, '../..'), paths: tsconfig.compilerOptions.paths });
