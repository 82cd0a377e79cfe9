import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from 'esbuild';

import { inlineSchemaKeysPlugin } from '../../infra/bundling/inline-schema-keys-plugin';

// Shaped like the SDK's generated schema modules: short string constants, then schemas whose trait
// objects use those constants as computed keys.
const SCHEMA_MODULE = `const _xN = "xmlName";
const _eQN = "ec2QueryName";
const n0 = "com.amazonaws.ec2";
export var ClientVpnEndpoint$ = [3, n0, "ClientVpnEndpoint", 0, ["Status"], [[0, { [_eQN]: \`Status\`, [_xN]: "status" }]]];
export var RunInstancesRequest$ = [3, n0, "RunInstancesRequestUnused", 0, ["UserData"], [[0, { [_xN]: "userData" }]]];
`;

async function bundleSchemas(plugins: Parameters<typeof build>[0]['plugins']): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'schema-keys-'));
  const schemas = join(root, 'node_modules', '@aws-sdk', 'client-fake', 'dist-es', 'schemas');
  mkdirSync(schemas, { recursive: true });
  writeFileSync(join(schemas, 'schemas_0.js'), SCHEMA_MODULE);
  const result = await build({
    stdin: {
      contents: `import { ClientVpnEndpoint$ } from './node_modules/@aws-sdk/client-fake/dist-es/schemas/schemas_0.js';
console.log(ClientVpnEndpoint$);`,
      resolveDir: root,
    },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    plugins,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('inlineSchemaKeysPlugin', () => {
  it('lets esbuild drop the schemas nothing uses, which computed keys otherwise keep', async () => {
    // Act
    const without = await bundleSchemas([]);
    const withPlugin = await bundleSchemas([inlineSchemaKeysPlugin()]);

    // Assess
    expect(without).toContain('RunInstancesRequestUnused');
    expect(withPlugin).not.toContain('RunInstancesRequestUnused');
    expect(withPlugin).toContain('ClientVpnEndpoint');
  });

  it('replaces each computed key with the literal its constant holds, and nothing else', async () => {
    // Act
    const output = await bundleSchemas([inlineSchemaKeysPlugin()]);

    // Assess
    expect(output).toMatch(/\["ec2QueryName"\]: `Status`/);
    expect(output).toMatch(/\["xmlName"\]: "status"/);
    expect(output).not.toContain('[_xN]');
  });
});
