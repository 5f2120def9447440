/** `stuck`: the reports that need an operator, as GET /api/v1/admin/stuck lists them. */
import { WorkflowHealth } from '../../../api/src/admin/workflow-health';
import type { AdminCommand } from '../command';

export const stuck: AdminCommand = {
  usage: 'stuck',
  summary: 'list the reports that need an operator (needs Temporal: TEMPORAL_ADDRESS or npm start)',
  options(command) {
    command.option('--json', 'one JSON object per line');
  },
  async run(ctx, _args, options) {
    const items = await (await ctx.services()).get(WorkflowHealth).stuck();
    for (const item of items) {
      ctx.output.out(
        options.json
          ? `${JSON.stringify(item)}\n`
          : `${item.reportId ?? '-'}\t${item.workflowId}\t${item.remedy}\t${item.since ?? '-'}\t${item.reason}\n`,
      );
    }
    if (!options.json) ctx.output.err(`${items.length} stuck.\n`);
  },
};
