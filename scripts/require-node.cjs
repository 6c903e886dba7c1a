// Runs before npm start, npm test and the other TypeScript scripts, under whatever Node npm found
// first. CommonJS and old syntax on purpose: this file must parse on any Node, so that a machine
// without a new enough one hears what to do instead of a stack trace from the TypeScript loader.
'use strict';
var wanted = [22, 17];
var version = process.versions.node.split('.').map(Number);
var ok = version[0] > wanted[0] || (version[0] === wanted[0] && version[1] >= wanted[1]);
if (!ok) {
  process.stderr.write(
    'This shop needs Node.js >= ' +
      wanted.join('.') +
      ', but npm ran Node ' +
      process.versions.node +
      ' (' +
      process.execPath +
      '). Run `npm install` in the repository first: it puts Node 24 in' +
      ' node_modules/.bin, which npm scripts use.\n',
  );
  process.exit(1);
}
