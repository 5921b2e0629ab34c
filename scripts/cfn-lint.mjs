// `npm test` lints template.yaml and waf.yaml with cfn-lint when it is installed (it is not from
// npm), and says plainly when it is not, so a skipped check is never mistaken for a passed one.
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../paths.mjs';

const TEMPLATES = ['template.yaml', 'waf.yaml'];
const result = spawnSync('cfn-lint', TEMPLATES, { cwd: PROJECT_ROOT, stdio: 'inherit' });
if (result.error?.code === 'ENOENT') {
  console.log('cfn-lint: skipped, not on PATH (pip install cfn-lint to run it)');
} else if (result.status === 0) {
  console.log(`cfn-lint: ${TEMPLATES.join(' and ')} are clean`);
} else {
  process.exitCode = result.status ?? 1;
}
