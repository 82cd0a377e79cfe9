import {
  parseDocumentedJsonPath,
  selectDocumentedJsonPath,
  UndocumentedJsonPathError,
} from '../../sandbox/documented-json-path';

const RESPONSE = {
  ClientVpnEndpoints: [
    { ClientVpnEndpointId: 'cvpn-endpoint-0123456789abcdef0', ConnectionLogOptions: { Enabled: true } },
    { ClientVpnEndpointId: 'cvpn-endpoint-0fedcba9876543210', ConnectionLogOptions: { Enabled: false } },
  ],
};

describe('selectDocumentedJsonPath', () => {
  it.each<[string, unknown[]]>([
    ['$.ClientVpnEndpoints[0].ClientVpnEndpointId', ['cvpn-endpoint-0123456789abcdef0']],
    ['$.ClientVpnEndpoints[1].ConnectionLogOptions.Enabled', [false]],
    ['$..Enabled', [true, false]],
    ['$.ClientVpnEndpoints[2].ClientVpnEndpointId', []],
    ['$.NextToken', []],
  ])('reads %s', (path, expected) => {
    // Act
    const found = selectDocumentedJsonPath(path, RESPONSE);

    // Assess
    expect(found).toEqual(expected);
  });
});

describe('parseDocumentedJsonPath', () => {
  it.each([
    ['a filter expression', '$.logGroups[?(@.retentionInDays)].logGroupName'],
    ['a wildcard', '$.logGroups[*].logGroupName'],
    ['a bracketed name', "$['logGroups'][0]"],
    ['a slice', '$.logGroups[0:2]'],
    ['a union', '$.logGroups[0,1]'],
    ['a path not starting at the root', 'logGroups[0]'],
    ['a negative index', '$.logGroups[-1]'],
  ])('refuses %s, which Automation does not document', (_case, path) => {
    // Act & Assess
    expect(() => parseDocumentedJsonPath(path)).toThrow(UndocumentedJsonPathError);
  });
});
