import { createRequire } from 'node:module';
import type forgeNamespace from 'node-forge';

/**
 * The parts of node-forge Passerelle uses (ASN.1, its byte buffers, RC2 for legacy PKCS#12),
 * loaded module by module: node-forge's index loads all of forge (TLS, PKCS#7, SSH, ...) and
 * would cost every `cert` command tens of milliseconds at start-up. Each module registers
 * itself on the one shared forge object.
 */
const require = createRequire(import.meta.url);
require('node-forge/lib/asn1.js');
require('node-forge/lib/util.js');
require('node-forge/lib/rc2.js');
export const forge = require('node-forge/lib/forge.js') as typeof forgeNamespace;
