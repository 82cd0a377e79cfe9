/**
 * The SDK modules only some invocations need (EC2 for sweeps and delivery, KMS for key states, STS for
 * organization mode), each loaded on first use and then kept: a change notification never pays for
 * them, and nothing pays twice.
 *
 * Kept, not re-imported: TypeScript compiles `import()` in the CommonJS build (`lib/`) to
 * `__importStar(require(…))`, which copies every one of the module's ~5,000 exports on each call. An
 * organization audit calls it once per account and region, so re-importing cost 30% of its time.
 */
type Ec2Module = typeof import('@aws-sdk/client-ec2');
type KmsModule = typeof import('@aws-sdk/client-kms');
type StsModule = typeof import('@aws-sdk/client-sts');

let ec2Module: Promise<Ec2Module> | undefined;
let kmsModule: Promise<KmsModule> | undefined;
let stsModule: Promise<StsModule> | undefined;

/** The EC2 client module, loaded once. */
export function loadEc2Module(): Promise<Ec2Module> {
  ec2Module ??= import('@aws-sdk/client-ec2');
  return ec2Module;
}

/** The KMS client module, loaded once. */
export function loadKmsModule(): Promise<KmsModule> {
  kmsModule ??= import('@aws-sdk/client-kms');
  return kmsModule;
}

/** The STS client module, loaded once. */
export function loadStsModule(): Promise<StsModule> {
  stsModule ??= import('@aws-sdk/client-sts');
  return stsModule;
}
