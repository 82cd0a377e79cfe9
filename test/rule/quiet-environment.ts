// The jest setup registers these matchers at run time; importing them here gives tsc their types.
import 'aws-sdk-client-mock-jest';

// Imported first by every test of the rule, before the rule's modules load: Powertools reads these
// when the logger and metrics are built and would otherwise print to stdout.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'us-east-1';
