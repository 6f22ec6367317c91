// Interning is thread-safe (expr.hpp): 8 threads parse and build the same expressions at the same moment and
// must get the same nodes, i.e. the same pointers. Run under ThreadSanitizer by scripts/sanitize
// (build-rel-tsan), where a data race anywhere on these paths fails the test; in the normal build it still
// checks the pointers. GiNaC is not thread-safe and is deliberately not touched here.
//
// Big numbers and fractions too (Threads.BigNumbersAndFractions): CLN's reference counts are not atomic, and a
// fraction or a bignum is a heap object; a node keeps such a number as text and Expr::number() gives every
// reader its own object (expr.hpp). Before that, TSan reported "data race ... cln::cl_gc_dec_pointer_refcount".
#include <gtest/gtest.h>

#include <barrier>
#include <cstddef>
#include <cstdio>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "napier/expr.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"

namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 60;

// Texts new to the arena in each round (so that the threads race to insert, not only to find). With `big`,
// some hold integers beyond a machine word, whose CLN representations are shared heap objects.
std::vector<std::string> round_texts(int round, bool big) {
  const std::string r = std::to_string(round);
  const std::string large = big ? "123456789012345678901234567890" : "1234567";
  return {
      "x_" + r + " + " + r + "/7*sin(y^" + r + ")",
      "1/(1 + exp(-t" + r + "))",
      large + r + "/" + std::to_string(2 * round + 1) + " * w" + r,
      "-(" + r + ".25 - z)^(-1/3)",
      "softmax(a" + r + ", b, c)[2] + log(q" + r + ", 2)",
      "sigmoid(x" + r + ") + sigmoid(-x" + r + ") = 1",
      "[u" + r + ", -u" + r + "^2, " + large + r + "][3]",
      "--" + r + "x*-(v - " + r + ")",
      "sqrt(abs(k" + r + ")) / (tanh(k" + r + ") - 1)",
      "(" + r + " + x)^(" + r + " + x)^(" + r + " + x)",
  };
}

// The same expressions as round_texts(round)[0] and [1], built through the API instead of the parser.
std::vector<napier::Expr> round_built(int round) {
  using namespace napier;
  const std::string r = std::to_string(round);
  // r/7 is the rational number r/7 when the fraction is in lowest terms, else the division as written.
  Expr coefficient = std::gcd(round, 7) == 1 ? num(round, 7) : div(num(round), num(7));
  Expr first = add(sym("x_" + r), mul(coefficient, call("sin", {pow(sym("y"), num(round))})));
  Expr second = div(num(1), add(num(1), call("exp", {neg(sym("t" + r))})));
  return {first, second};
}

// What one thread does in one round: every text in its own rotated order, then read-only walks (printing,
// sizes, symbols, numbers, negation) over nodes that the other threads are reading at the same time.
struct RoundResult {
  std::vector<const napier::Node*> parsed;  // by text index
  std::vector<const napier::Node*> built;
  std::vector<std::string> printed;
};

RoundResult work(int thread, int round, bool big) {
  const std::vector<std::string> texts = round_texts(round, big);
  RoundResult out;
  out.parsed.assign(texts.size(), nullptr);
  out.printed.assign(texts.size(), {});
  for (std::size_t k = 0; k < texts.size(); ++k) {
    const std::size_t i = (k + static_cast<std::size_t>(thread)) % texts.size();
    napier::Result<napier::Expr> e = napier::parse(texts[i]);
    if (!e) continue;  // reported by the main thread
    out.parsed[i] = e->node();
  }
  for (napier::Expr e : round_built(round)) out.built.push_back(e.node());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (out.parsed[i] == nullptr) continue;
    const napier::Expr e(out.parsed[i]);
    out.printed[i] = napier::print(e) + " | " + napier::print(e, napier::Style::Unicode) + " | " +
                     napier::print(e, napier::Style::Latex) + " | " + napier::print_tree(e);
    (void)napier::print_json_tree(e);
    (void)napier::dag_size(e);
    (void)napier::depth(e);
    (void)napier::free_symbols(e);
    for (napier::Expr a : e.args()) {
      (void)a.small_integer();
      (void)napier::neg(a);
      (void)napier::contains(e, a);
    }
  }
  (void)napier::interned_node_count();
  return out;
}

void same_nodes_in_every_thread(bool big) {
  // Every text parses on its own first, so that a failure below is about threads, not syntax.
  for (int round = 0; round < kRounds; round += 17) {
    for (const std::string& text : round_texts(round, big)) {
      napier::Result<napier::Expr> e = napier::parse(text);
      ASSERT_TRUE(e.ok()) << text << ": " << e.error().to_string();
    }
  }

  std::vector<std::vector<RoundResult>> results(kThreads, std::vector<RoundResult>(kRounds));
  std::barrier start_round(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        start_round.arrive_and_wait();  // all threads meet the round's new texts at once
        results[static_cast<std::size_t>(t)][static_cast<std::size_t>(round)] = work(t, round, big);
      }
    });
  }
  for (std::thread& th : threads) th.join();

  for (int round = 0; round < kRounds; ++round) {
    const std::vector<std::string> texts = round_texts(round, big);
    const RoundResult& first = results[0][static_cast<std::size_t>(round)];
    for (std::size_t i = 0; i < texts.size(); ++i) {
      ASSERT_NE(first.parsed[i], nullptr) << texts[i];
      EXPECT_EQ(napier::parse(texts[i])->node(), first.parsed[i]) << "after the threads: " << texts[i];
    }
    // The API builds the same nodes as the parser.
    EXPECT_EQ(first.built[0], first.parsed[0]) << texts[0];
    EXPECT_EQ(first.built[1], first.parsed[1]) << texts[1];
    for (int t = 1; t < kThreads; ++t) {
      const RoundResult& other = results[static_cast<std::size_t>(t)][static_cast<std::size_t>(round)];
      for (std::size_t i = 0; i < texts.size(); ++i) {
        EXPECT_EQ(other.parsed[i], first.parsed[i])
            << "thread " << t << ", round " << round << ": " << texts[i];
        EXPECT_EQ(other.printed[i], first.printed[i]) << "thread " << t << ": " << texts[i];
      }
      EXPECT_EQ(other.built, first.built) << "thread " << t << ", round " << round;
    }
  }
}

TEST(Threads, SameTextGivesSameNodeInEveryThread) { same_nodes_in_every_thread(false); }

TEST(Threads, BigNumbersAndFractions) { same_nodes_in_every_thread(true); }

}  // namespace

namespace {

// Resident memory of this process, in KiB (Linux: /proc/self/statm counts pages).
long resident_kib() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4;
}

}  // namespace

// Each thread carves nodes from a 2 MiB block of its own (src/interner.cpp); a thread that ends gives the
// rest of its block to the next. 400 short threads that intern a node each therefore take a few blocks, not
// 400 (800 MiB where the kernel backs them with huge pages, as here; elsewhere the test is weaker): the
// fuzzers run every input on a thread of its own, and ran out of memory before.
TEST(Threads, ShortLivedThreadsShareTheirBlocks) {
  const long before = resident_kib();
  for (int i = 0; i < 400; ++i) {
    std::thread t([i] {
      const napier::Expr e = napier::pow(napier::sym("short_lived"), napier::num(1000000 + i));
      EXPECT_EQ(e[1], napier::num(1000000 + i));
    });
    t.join();
  }
  EXPECT_LT(resident_kib() - before, 64 * 1024) << "KiB grown by 400 threads";
}
