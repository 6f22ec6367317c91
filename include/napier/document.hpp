// The derivation document: everything napier explains, as one tree of blocks that every printer (text,
// Unicode, LaTeX, Markdown, JSON) and verify read. The default equality chain, the substitution style, the
// inverse-function and logarithmic-differentiation methods, the orders of a higher derivative and the
// entries of a gradient, Jacobian or Hessian are all built as this one kind of document (docs/design.md,
// "One derivation document").
//
// A block is one of:
//   Chain     an equality chain: a Derivation's steps (each naming its rule), printed "= ..." line by line
//   Equation  one line "lhs = rhs  [label]" of a method or a substitution (x = log(y), dy/dx = 1/(dx/dy)),
//             with the claim that makes it true and the conditions under which it holds
//   Group     a titled sequence of blocks: a method, a substitution (let u = ...), an order, an entry
// Every line a reader sees carries an equation that verify can check: a chain's steps their own (redex =
// replacement), an Equation its Claim, a Chain that starts from a named left side its start_claim.
#pragma once

#include <string>
#include <vector>

#include "napier/derivation.hpp"
#include "napier/expr.hpp"

namespace napier {

// What makes a line true, as an equation between expressions of the original variables: the line
// dy/dx = 1/(dx/dy) of the inverse method claims diff(e^x, x) = 1/(1/y) with y written back as e^x.
struct Claim {
  enum class Kind {
    None,        // nothing to prove: the function itself, or a name being introduced
    Identity,    // lhs = rhs holds for every real point where both sides are defined (and `where` is real)
    Assumption,  // lhs = rhs is what the user asked napier to assume (--assume): said, not proved
  };
  Kind kind = Kind::None;
  Expr lhs, rhs;
  bool derivatives = false;  // the sides hold derivatives: compare them as derivatives (see verify.hpp)
};

// A piece of a sentence: words, or an equation set as mathematics ("Let " u = 1 + exp(-x) "; then ").
struct Phrase {
  std::string words;
  Expr math;  // null for words
};

enum class BlockKind { Group, Chain, Equation };

struct Block {
  BlockKind kind = BlockKind::Group;

  // Group: a title (printed as a line of words before the children) and whether the children are indented
  // one level under it. Kinds of group (the "role") name what it is for printers and JSON: "method",
  // "substitution", "order", "entry", "matrix", "side", "document".
  std::string role;
  std::vector<Phrase> title;
  bool indent_children = false;
  std::vector<Block> children;

  // Equation and Chain: the left side ("dy/du"); null for an Equation that continues the line above
  // ("      = y") and for a Chain printed from its start on a line of its own (d/dx(f) then "  = ...").
  Expr lhs;
  // Derivatives of a symbol by a symbol in rhs read as Leibniz wrote them (dy/dx) rather than d/dx(y).
  bool leibniz = false;

  // Equation: the right side, the rule (a name for programs) and its label (for readers; a Chain's label is
  // that of its first line), or a sentence
  // (`sentence` non-empty: "Let u = ...; then " lhs = rhs "." printed as words around the equation).
  Expr rhs;
  std::string rule, label;
  std::vector<Phrase> sentence_before, sentence_after;
  Claim claim;

  // Equation and Chain: the conditions under which the line (every line of the chain) holds, in words
  // ("y > 0"), printed with it; and as an expression that must have a real value at a point for verify to
  // count the point (log(f) for y > 0). Null: wherever both sides are defined.
  std::vector<std::string> conditions;
  Expr where;

  // Chain: the derivation, and whether its start is the right side of the line above (a method's "= ..."
  // tail), so that only its later lines print.
  Derivation chain;
  bool continues = false;
  Claim start_claim;  // for a chain with a left side: lhs = start (the chain rule's dy/dx = dy/du*du/dx)
};

// Building blocks, so that the builders read as the derivation does.
Block group_block(std::string role, std::vector<Phrase> title = {}, bool indent_children = false);
Block equation_line(Expr lhs, Expr rhs, std::string rule, std::string label, Claim claim = {});
// A chain whose first line reads `lhs = start    [label]` (lhs null: the start on a line of its own).
Block chain_block(Derivation d, Expr lhs = Expr(), std::string label = {}, Claim start_claim = {});
// A chain whose start is the right side of the line above: only its later lines print.
Block continued_chain(Derivation d);
Claim identity(Expr lhs, Expr rhs);
Claim derivative_identity(Expr lhs, Expr rhs);  // the sides hold derivatives (Claim::derivatives)
Phrase words(std::string w);
Phrase math(Expr e);

// Visits every Equation and Chain block of the tree in document order.
template <class F>
void for_each_line_block(const Block& b, F&& f) {
  if (b.kind != BlockKind::Group) {
    f(b);
    return;
  }
  for (const Block& c : b.children) for_each_line_block(c, f);
}

// What a document arrives at: the root block, the answer, and a derivation's own notes ("auto: a variable
// base with a variable exponent").
struct Explanation {
  Block root;
  Expr result;
  std::vector<std::string> notes;
};

}  // namespace napier
