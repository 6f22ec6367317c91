// Reads LaTeX blocks from standard input, separated by lines holding only "%%", and renders each with
// KaTeX (throwOnError): a block that does not render is printed with KaTeX's message, and the exit code
// is 1. Used by the latex_renders test to check that napier's LaTeX is valid, not merely produced.
const katex = require(require("path").resolve(process.argv[2]));
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const blocks = input.split(/^%%$/m).map((b) => b.trim()).filter((b) => b.length > 0);
  let failed = 0;
  for (const block of blocks) {
    try {
      katex.renderToString(block, { displayMode: true, throwOnError: true });
    } catch (e) {
      failed++;
      console.log("does not render: " + block + "\n  " + e.message);
    }
  }
  console.log(`${blocks.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 && blocks.length > 0 ? 0 : 1);
});
