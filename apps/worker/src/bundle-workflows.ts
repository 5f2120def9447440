/** Build step: bundles the compiled workflows once, so production workers start without webpack. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '@openccs/config';
import { failureConverterPath } from '@openccs/temporal-codec';
import { WORKFLOW_TRACING_MODULE, workflowBundleOptions, workflowBundlePath } from './workflow-source';

async function main(): Promise<void> {
  // The plain bundle, and the one with tracing's workflow interceptors (workflow-source.ts).
  for (const traced of [false, true]) {
    const { code } = await bundleWorkflowCode({
      ...workflowBundleOptions(join(projectRoot(), 'dist', 'workflows', 'src', 'index.js')),
      workflowInterceptorModules: traced ? [WORKFLOW_TRACING_MODULE] : [],
      // The workflow sandbox converts its errors with the same (message-encoding) failure converter.
      failureConverterPath: failureConverterPath(),
      logger: {
        info: () => undefined,
        warn: () => undefined,
        error: console.error,
        debug: () => undefined,
        trace: () => undefined,
        log: () => undefined,
      },
    });
    writeFileSync(workflowBundlePath(traced), code);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
