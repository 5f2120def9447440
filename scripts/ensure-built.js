// Builds once when dist/ lacks the entry point, so `npm run verify` (or `npm run admin`) works on a fresh clone after `npm ci`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { execSync } = require('node:child_process');

// The entry point the script is about to run (default: the verifier's).
const entry = process.argv[2] ?? 'apps/verifier/src/main.js';
if (!existsSync(join(__dirname, '..', 'dist', ...entry.split('/')))) {
  execSync('npm run build --silent', { stdio: 'inherit', cwd: join(__dirname, '..') });
}
