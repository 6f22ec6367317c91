#include "napier/document.hpp"

namespace napier {

Block group_block(std::string role, std::vector<Phrase> title, bool indent_children) {
  Block b;
  b.kind = BlockKind::Group;
  b.role = std::move(role);
  b.title = std::move(title);
  b.indent_children = indent_children;
  return b;
}

Block equation_line(Expr lhs, Expr rhs, std::string rule, std::string label, Claim claim) {
  Block b;
  b.kind = BlockKind::Equation;
  b.lhs = lhs;
  b.rhs = rhs;
  b.rule = std::move(rule);
  b.label = std::move(label);
  b.claim = std::move(claim);
  return b;
}

Block chain_block(Derivation d, Expr lhs, std::string label, Claim start_claim) {
  Block b;
  b.kind = BlockKind::Chain;
  b.chain = std::move(d);
  b.lhs = lhs;
  b.label = std::move(label);
  b.start_claim = std::move(start_claim);
  return b;
}

Block continued_chain(Derivation d) {
  Block b = chain_block(std::move(d));
  b.continues = true;
  return b;
}

Claim identity(Expr lhs, Expr rhs) { return Claim{Claim::Kind::Identity, lhs, rhs, false}; }
Claim derivative_identity(Expr lhs, Expr rhs) { return Claim{Claim::Kind::Identity, lhs, rhs, true}; }
Phrase words(std::string w) { return Phrase{std::move(w), Expr()}; }
Phrase math(Expr e) { return Phrase{{}, e}; }

}  // namespace napier
