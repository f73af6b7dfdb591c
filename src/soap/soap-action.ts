/**
 * The SOAP 1.1 `SOAPAction` HTTP header value for an action URI: always quoted (WS-I BP R1109);
 * an empty action gives `""`. A caller error (quote, control character) is a TypeError.
 */
export function formatSoapAction(action: string): string {
  if (_unsafe(action)) {
    throw new TypeError(
      'formatSoapAction: the action must not contain quotes, backslashes or control characters',
    );
  }
  return `"${action}"`;
}

function _unsafe(action: string): boolean {
  for (let i = 0; i < action.length; i++) {
    const c = action.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}
