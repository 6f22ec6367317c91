// Reads LaTeX blocks from standard input, separated by lines holding only "%%", and renders each with
// KaTeX (throwOnError): a block that does not render is printed with KaTeX's message, and the exit code
// is 1. Used by the latex_renders test to check that napier's LaTeX is valid, not merely produced.
// A block is split the way a page shows it: each align* environment on its own, and in Markdown (a block
// holding $$) each $$...$$ display and each $...$ inline formula on its own; what is left between
// environments must render as mathematics too.
const katex = require(require("path").resolve(process.argv[2]));
let input = "";
process.stdin.on("data", (d) => (input += d));

function pieces(block) {
  if (block.includes("$$") || block.startsWith("**")) {
    const out = [];
    const display = /\$\$([\s\S]*?)\$\$/g;
    let m;
    while ((m = display.exec(block)) !== null) out.push({ tex: m[1], display: true });
    const rest = block.replace(display, " ");
    const inline = /\$([^$\n]+)\$/g;
    while ((m = inline.exec(rest)) !== null) out.push({ tex: m[1], display: false });
    return out;
  }
  const env = /\\begin\{align\*\}[\s\S]*?\\end\{align\*\}/g;
  const out = (block.match(env) || []).map((tex) => ({ tex, display: true }));
  const rest = block.replace(env, "").trim();
  if (rest.length > 0) out.push({ tex: rest, display: true });
  return out;
}

process.stdin.on("end", () => {
  const blocks = input.split(/^%%$/m).map((b) => b.trim()).filter((b) => b.length > 0);
  let failed = 0, count = 0;
  for (const block of blocks) {
    for (const p of pieces(block)) {
      count++;
      try {
        katex.renderToString(p.tex, { displayMode: p.display, throwOnError: true });
      } catch (e) {
        failed++;
        console.log("does not render: " + p.tex + "\n  " + e.message);
      }
    }
  }
  console.log(`${count - failed} passed, ${failed} failed`);
  process.exit(failed === 0 && count > 0 ? 0 : 1);
});
