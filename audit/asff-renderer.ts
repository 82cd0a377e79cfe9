/** `--output asff`: one JSON array of AWS Security Finding Format findings (audit/asff-finding.ts). */
import { asffFindings } from './asff-finding';
import { withEscapedFormatCharacters, type FindingsRenderer } from './findings-renderer';

/** The ASFF format: Security Hub's `BatchImportFindings` takes the array as it is. */
export const asffRenderer: FindingsRenderer = {
  render: (findings, context) =>
    `${withEscapedFormatCharacters(JSON.stringify(asffFindings(findings, context.partition, context.now), null, 2))}\n`,
  writtenWhenStopped: false,
};
