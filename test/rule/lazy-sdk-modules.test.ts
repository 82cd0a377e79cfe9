import { loadEc2Module, loadKmsModule, loadStsModule } from '../../rule/lazy-sdk-modules';

describe('the lazily loaded SDK modules', () => {
  it.each([
    ['EC2', loadEc2Module, 'EC2Client'],
    ['KMS', loadKmsModule, 'KMSClient'],
    ['STS', loadStsModule, 'STSClient'],
  ] as const)('loads the %s module once and hands every caller the same one', async (_name, load, client) => {
    // Act
    const [first, second] = [load(), load()];

    // Assess
    expect(second).toBe(first);
    expect(typeof (await first)[client as keyof Awaited<typeof first>]).toBe('function');
  });
});
