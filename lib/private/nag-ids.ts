/**
 * Renders a resolved CloudFormation value the way cdk-nag names it in a granular finding id
 * (`{ 'Fn::GetAtt': ['Bucket1234', 'Arn'] }` -> `<Bucket1234.Arn>`), so that an acknowledgement
 * can name exactly the finding it covers.
 */
export function flattenForNag(value: unknown): string {
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, any>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'];
      return (items as unknown[]).map(flattenForNag).join(delimiter);
    }
    if (o['Fn::Sub']) return flattenForNag(o['Fn::Sub']);
    if (o['Fn::GetAtt']) return `<${flattenForNag(o['Fn::GetAtt'][0])}.${flattenForNag(o['Fn::GetAtt'][1])}>`;
    if (o['Fn::ImportValue']) return flattenForNag(o['Fn::ImportValue']);
    if (o.Ref) return `<${flattenForNag(o.Ref)}>`;
  }
  return JSON.stringify(value);
}
