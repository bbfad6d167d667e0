/** The custom resource type of VulnerabilityScanning's Inspector enablement (read by the evidence). */
export const INSPECTOR_ENABLE_TYPE = 'Custom::CdkCcpaInspector2Enable';

/** The custom resource type of SensitiveDataDiscovery's Macie classification job (read by the evidence). */
export const MACIE_JOB_TYPE = 'Custom::CdkCcpaMacieClassificationJob';
