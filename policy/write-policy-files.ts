/**
 * `npm run policy:write`: writes the committed rule files, the policy rendered for the Config rule's
 * default parameters, next to this script. A test fails when they differ from the renderer's output.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ADVISORIES_FILE_NAME,
  POLICY_FILE_NAME,
  renderConnectionLoggingAdvisories,
  renderConnectionLoggingPolicy,
} from './connection-logging-policy';

writeFileSync(path.join(__dirname, POLICY_FILE_NAME), renderConnectionLoggingPolicy());
writeFileSync(path.join(__dirname, ADVISORIES_FILE_NAME), renderConnectionLoggingAdvisories());
console.log(`wrote policy/${POLICY_FILE_NAME} and policy/${ADVISORIES_FILE_NAME}`);
