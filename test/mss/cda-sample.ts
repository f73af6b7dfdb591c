/** A small CDA R2 document for the tests (fictitious patient; INS-NIR test OID when `ins`). */
export function sampleCda({
  code = '11488-4',
  ins = true,
  title = 'Compte rendu de consultation',
} = {}): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ClinicalDocument xmlns="urn:hl7-org:v3">',
    '  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>',
    '  <id root="1.2.250.1.999.1" extension="DOC-1"/>',
    `  <code code="${code}" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>`,
    `  <title>${title}</title>`,
    '  <effectiveTime value="20260615100000+0200"/>',
    '  <recordTarget><patientRole>',
    ins
      ? '    <id root="1.2.250.1.213.1.4.10" extension="279035121518989"/>'
      : '    <id root="1.2.250.1.999.2" extension="LOCAL-42"/>',
    '    <patient><name><given>Alice</given><family>Test</family></name></patient>',
    '  </patientRole></recordTarget>',
    '</ClinicalDocument>',
    '',
  ].join('\n');
}
