/**
 * Where the worker gets its workflow code: the prebuilt bundle of a production build when it
 * exists, else the sources, bundled at start (tests and development).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';
import { projectRoot } from '@openccs/config';

const LIBS = ['config', 'contracts', 'domain'] as const;

export function workflowBundlePath(): string {
  return join(projectRoot(), 'dist', 'workflow-bundle.js');
}

/** The workflow sources, and how webpack resolves the `@openccs/*` libraries they import. */
export function workflowBundleOptions(
  workflowsPath: string,
): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  const root = projectRoot();
  return {
    workflowsPath,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: {
          ...(config.resolve?.alias as Record<string, string | false>),
          ...Object.fromEntries(LIBS.map((lib) => [`@openccs/${lib}`, join(root, 'libs', lib, 'src')])),
        },
      },
    }),
  };
}

export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (existsSync(workflowBundlePath()) && __filename.endsWith('.js')) {
    return { workflowBundle: { codePath: workflowBundlePath() } };
  }
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions(
    join(projectRoot(), 'workflows', 'src', 'index.ts'),
  );
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}
