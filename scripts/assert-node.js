// npm scripts must run on the pinned Node 24 runtime (devDependency "node"), whatever the system Node is.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `flopcast needs Node >= 24 but npm scripts run on ${process.version}; run \`npm install\` so the pinned runtime in node_modules/.bin is used`,
  );
  process.exit(1);
}
console.log(`node ${process.version}`);
