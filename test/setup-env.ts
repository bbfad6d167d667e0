// Jest setup (package.json "jest.setupFiles", generated from .projenrc.ts).
// Construct stack traces are captured for every construct and metadata entry; tests never
// read them, and skipping them makes each synth several times faster on 2 cores.
process.env.CDK_DISABLE_STACK_TRACE = '1';
