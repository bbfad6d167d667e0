import { customerManagedKeyRule } from '../../private/cmk-rule';
import { Outcome } from '../../private/rule';

/** Encryption with a customer-managed KMS key on in-scope EBS volumes, including those an instance or launch template maps. */
export const EBSCustomerManagedKey = customerManagedKeyRule({
  id: 'EBSCustomerManagedKey',
  service: 'stores',
  what: 'An in-scope EBS volume, or a volume an instance or launch template maps (BlockDeviceMappings[].Ebs), is not encrypted (Encrypted) with a customer-managed KMS key (KmsKeyId); an instance mapping none boots from its AMI\'s volume.',
  choice: 'Account-wide EBS encryption by default is an account setting no CloudFormation resource sets, and snapshots are made at run time, so neither is visible at synth: a volume is compliant only when it names its key.',
  fix: 'Set encrypted: true and encryptionKey: a PrivacyKey with viaServices including ec2 (ec2.Volume; instances: blockDevices with BlockDeviceVolume.ebs(size, { encrypted: true, kmsKey })); L1: Encrypted true, KmsKeyId.',
  sites: {
    'AWS::EC2::Volume': { switch: { property: 'Encrypted', on: true }, key: 'KmsKeyId' },
    'AWS::EC2::Instance': {
      each: 'BlockDeviceMappings',
      switch: { property: 'Ebs.Encrypted', on: true },
      key: 'Ebs.KmsKeyId',
      whenNone: (_node, index) => index.unknown('BlockDeviceMappings', undefined),
    },
    'AWS::EC2::LaunchTemplate': {
      each: 'LaunchTemplateData.BlockDeviceMappings',
      switch: { property: 'Ebs.Encrypted', on: true },
      key: 'Ebs.KmsKeyId',
      whenNone: () => Outcome.NOT_APPLICABLE,
    },
  },
});
