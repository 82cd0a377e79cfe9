// The jest setup registers these matchers at run time; importing them here gives tsc their types.
import 'aws-sdk-client-mock-jest';

// Imported first by every test of the rule, before the rule's modules load: Powertools reads these
// when the logger and metrics are built and would otherwise print to stdout, and the SDK warns once
// per file about this machine's Node 20 (the Lambda runs Node 22 or later).
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'us-east-1';
