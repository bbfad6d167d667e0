// Jest setup (package.json "jest.setupFiles", generated from .projenrc.ts).
// Construct stack traces are captured for every construct and metadata entry; tests never
// read them, and skipping them makes each synth several times faster on 2 cores.
process.env.CDK_DISABLE_STACK_TRACE = '1';
// Newer aws-cdk-lib releases run a built-in template check at synth (DESIGN.md section 9);
// the test kit runs the real rule packs itself, so the duplicate check is switched off.
process.env.CDK_VALIDATION = 'false';
