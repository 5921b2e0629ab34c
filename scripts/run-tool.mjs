// `node scripts/run-tool.mjs <tool> [args…]`: builds when stale, then runs dist/tools/<tool>.mjs
// with the remaining arguments, so `npm run invoke` never runs an outdated bundle. With --help only
// the tools are brought up to date: asking for a usage must not rebuild the zip, which may hold a
// rules document built in with `npm run build -- --rules`.
import { ensureBuilt, ensureToolsBuilt } from './ensure-build.mjs';

const [tool] = process.argv.splice(2, 1);
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) await ensureToolsBuilt();
else await ensureBuilt();
await import(new URL(`../dist/tools/${tool}.mjs`, import.meta.url).href);
