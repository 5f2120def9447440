/**
 * Where the worker gets its workflow code: the prebuilt bundle of a production build when it
 * exists, else the sources, bundled at start (tests and development).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';
import { projectRoot } from '@openccs/config';

const LIBS = ['config', 'contracts', 'domain'] as const;

/**
 * The workflow interceptors of tracing (OTEL_EXPORTER_OTLP_ENDPOINT). They are bundled with the
 * workflows, so a second bundle holds them and the untraced one stays as it was: tracing off
 * runs not one line of them.
 */
export const WORKFLOW_TRACING_MODULE =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function workflowBundlePath(traced = false): string {
  return join(projectRoot(), 'dist', traced ? 'workflow-bundle-traced.js' : 'workflow-bundle.js');
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

export function workflowSource({ traced = false } = {}): Pick<
  WorkerOptions,
  'workflowBundle' | 'workflowsPath' | 'bundlerOptions'
> {
  if (existsSync(workflowBundlePath(traced)) && __filename.endsWith('.js')) {
    return { workflowBundle: { codePath: workflowBundlePath(traced) } };
  }
  // Bundled at start: with tracing, the worker adds WORKFLOW_TRACING_MODULE (interceptors.workflowModules).
  const { workflowsPath, webpackConfigHook } = workflowBundleOptions(
    join(projectRoot(), 'workflows', 'src', 'index.ts'),
  );
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}
