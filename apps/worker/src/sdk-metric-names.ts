/**
 * The metrics the Temporal SDK's core exports (docs.temporal.io, "SDK metrics"; prefix
 * `temporal_`, counters without a `_total` suffix, durations in seconds as metrics.ts asks).
 * Histograms are listed by their base name (`_bucket`, `_sum`, `_count` follow). The deploy/
 * alerts and dashboard may use only these, OpenCCS's own and the processes' defaults
 * (tests/unit/observability-deploy.test.ts); the integration test checks that a real worker
 * exports nothing under `temporal_` that is missing here.
 */
export const TEMPORAL_SDK_METRIC_NAMES = [
  'temporal_activity_execution_cancelled',
  'temporal_activity_execution_failed',
  'temporal_activity_execution_latency',
  'temporal_activity_poll_no_task',
  'temporal_activity_schedule_to_start_latency',
  'temporal_activity_succeed_endtoend_latency',
  'temporal_activity_task_received',
  'temporal_local_activity_execution_cancelled',
  'temporal_local_activity_execution_failed',
  'temporal_local_activity_execution_latency',
  'temporal_local_activity_succeed_endtoend_latency',
  'temporal_local_activity_total',
  'temporal_long_request',
  'temporal_long_request_failure',
  'temporal_long_request_latency',
  'temporal_nexus_poll_no_task',
  'temporal_nexus_task_endtoend_latency',
  'temporal_nexus_task_execution_failed',
  'temporal_nexus_task_execution_latency',
  'temporal_nexus_task_schedule_to_start_latency',
  'temporal_num_pollers',
  'temporal_request',
  'temporal_request_failure',
  'temporal_request_latency',
  'temporal_sticky_cache_hit',
  'temporal_sticky_cache_miss',
  'temporal_sticky_cache_size',
  'temporal_sticky_cache_total_forced_eviction',
  'temporal_worker_start',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_workflow_active_thread_count',
  'temporal_workflow_cancelled',
  'temporal_workflow_completed',
  'temporal_workflow_continue_as_new',
  'temporal_workflow_endtoend_latency',
  'temporal_workflow_failed',
  'temporal_workflow_task_execution_failed',
  'temporal_workflow_task_execution_latency',
  'temporal_workflow_task_queue_poll_empty',
  'temporal_workflow_task_queue_poll_succeed',
  'temporal_workflow_task_replay_latency',
  'temporal_workflow_task_schedule_to_start_latency',
] as const;
