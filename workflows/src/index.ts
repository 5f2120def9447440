// The workflow bundle's entry: every workflow the worker registers, and nothing else.
export { projectSetupWorkflow } from './project-setup.workflow';
export { reportWorkflow } from './report.workflow';
export { membershipChangeWorkflow } from './membership-change.workflow';
export { webhookDeliveryWorkflow } from './webhook-delivery.workflow';
export { feedbackWorkflow } from './feedback.workflow';
