// Special functions at real points through Arb (see special_values.hpp for what a returned value certifies).
// The argument goes into Arb exactly, as mantissa * 2^exponent; the function is evaluated as a ball at a
// working precision a little above the accuracy asked for; the ball's midpoint comes back into CLN exactly
// and is then rounded once, to the long-float format of the result.
#include "napier/special_values.hpp"

#include <arb.h>
#include <arb_hypgeom.h>
#include <cln/integer.h>
#include <cln/integer_io.h>
#include <flint/flint.h>
#include <flint/fmpz.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <sstream>
#include <string>

namespace napier {
namespace {

enum class Function { erf, erfc, erfi, lambertw, gamma, digamma, zeta };

std::optional<Function> lookup(std::string_view name) {
  if (name == "erf") return Function::erf;
  if (name == "erfc") return Function::erfc;
  if (name == "erfi") return Function::erfi;
  if (name == "lambertw") return Function::lambertw;
  if (name == "gamma") return Function::gamma;
  if (name == "digamma") return Function::digamma;
  if (name == "zeta") return Function::zeta;
  return std::nullopt;
}

// The most digits evaluated (about 3.3 million bits): beyond, the bit counts below would not stay small.
constexpr long kMaxDigits = 1'000'000;
// Bits per decimal digit, rounded up from log2(10) = 3.3219...
constexpr double kBitsPerDigit = 3.33;
// Working precision above the accuracy asked for, for the rounding inside Arb's evaluation.
constexpr slong kGuardBits = 32;
// Evaluations before giving up: a ball that is too wide (a value next to a zero of the function, digamma
// near 1.4616, loses bits to cancellation) or undecided (lambertw just above -1/e) is computed again at
// twice the precision, then at four times; each result is checked the same way, so this only ever turns
// "no value" into a certified value.
constexpr int kAttempts = 3;

// Arb's thread-local caches (constants such as pi and Euler's gamma, Bernoulli numbers, MPFR's caches)
// live until the thread that filled them calls flint_cleanup(). napier evaluates each request on a worker
// thread, so without this every such thread would leave them behind and LeakSanitizer would report them. The
// first special_value call on a thread constructs this thread_local object; its destructor runs when the
// thread ends (for the main thread, at exit) and frees what Arb cached on that thread, and only that thread.
struct FlintThreadCleanup {
  FlintThreadCleanup() = default;
  FlintThreadCleanup(const FlintThreadCleanup&) = delete;
  FlintThreadCleanup& operator=(const FlintThreadCleanup&) = delete;
  ~FlintThreadCleanup() { flint_cleanup(); }
};

void clean_up_arb_when_this_thread_ends() {
  thread_local FlintThreadCleanup cleanup;
  (void)cleanup;
}

// Owners of Arb's C values, cleared on every path out.
class Ball {
 public:
  Ball() { arb_init(value_); }
  ~Ball() { arb_clear(value_); }
  Ball(const Ball&) = delete;
  Ball& operator=(const Ball&) = delete;
  arb_ptr get() { return value_; }

 private:
  arb_t value_;
};

class Fmpz {
 public:
  Fmpz() { fmpz_init(value_); }
  ~Fmpz() { fmpz_clear(value_); }
  Fmpz(const Fmpz&) = delete;
  Fmpz& operator=(const Fmpz&) = delete;
  fmpz* get() { return value_; }

 private:
  fmpz_t value_;
};

// Exact conversions between CLN's and FLINT's integers: directly when the integer fits a machine word, else
// through hexadecimal text, which both libraries print and read exactly.
void to_fmpz(fmpz* out, const cln::cl_I& n) {
  if (cln::integer_length(n) < 63) {  // the common case: an exponent, a double's mantissa
    fmpz_set_si(out, cln::cl_I_to_long(n));
    return;
  }
  std::ostringstream text;
  cln::print_integer(text, 16, cln::abs(n));
  fmpz_set_str(out, text.str().c_str(), 16);
  if (cln::minusp(n)) fmpz_neg(out, out);
}

cln::cl_I to_cl_I(const fmpz* n) {
  if (fmpz_fits_si(n)) return cln::cl_I(static_cast<long>(fmpz_get_si(n)));
  char* text = fmpz_get_str(nullptr, 16, n);
  std::string digits(text);
  flint_free(text);
  const bool negative = !digits.empty() && digits.front() == '-';
  return cln::read_integer(16, negative ? 1 : 0, digits.c_str(), negative ? 1 : 0, digits.size());
}

// x exactly: a CLN float is sign * mantissa * 2^exponent with integers, and so is an Arb midpoint.
void set_exact(arb_ptr out, const cln::cl_F& x) {
  const cln::cl_idecoded_float decoded = cln::integer_decode_float(x);
  Fmpz mantissa, exponent;
  to_fmpz(mantissa.get(), decoded.mantissa * decoded.sign);
  to_fmpz(exponent.get(), decoded.exponent);
  arb_set_fmpz_2exp(out, mantissa.get(), exponent.get());
}

// The ball's midpoint as a float of the given format: exact until the one rounding to that format.
cln::cl_F midpoint(arb_ptr ball, cln::float_format_t format) {
  Fmpz mantissa, exponent;
  arf_get_fmpz_2exp(mantissa.get(), exponent.get(), arb_midref(ball));
  const cln::cl_I m = to_cl_I(mantissa.get());
  if (cln::zerop(m)) return cln::cl_float(0, format);
  return cln::scale_float(cln::cl_float(m, format), to_cl_I(exponent.get()));
}

// Whether x (exact) is certainly outside the real domain of f; precision only matters for lambertw's -1/e.
bool outside_domain(Function f, arb_ptr x, slong precision) {
  switch (f) {
    case Function::gamma:
    case Function::digamma:  // poles at 0, -1, -2, ...
      return arb_is_int(x) && arb_is_nonpositive(x);
    case Function::zeta:  // the pole at 1
      return arb_is_one(x);
    case Function::lambertw: {  // W0 is real on [-1/e, oo)
      Ball branch_point;
      arb_const_e(branch_point.get(), precision);
      arb_inv(branch_point.get(), branch_point.get(), precision);
      arb_neg(branch_point.get(), branch_point.get());
      return arb_lt(x, branch_point.get());
    }
    case Function::erf:
    case Function::erfc:
    case Function::erfi:
      return false;
  }
  return false;
}

void evaluate(Function f, arb_ptr result, arb_ptr x, slong precision) {
  switch (f) {
    case Function::erf:
      arb_hypgeom_erf(result, x, precision);
      return;
    case Function::erfc:
      arb_hypgeom_erfc(result, x, precision);
      return;
    case Function::erfi:
      arb_hypgeom_erfi(result, x, precision);
      return;
    case Function::lambertw:
      arb_lambertw(result, x, /*flags: principal branch*/ 0, precision);
      return;
    case Function::gamma:
      arb_gamma(result, x, precision);
      return;
    case Function::digamma:
      arb_digamma(result, x, precision);
      return;
    case Function::zeta:
      arb_zeta(result, x, precision);
      return;
  }
}

}  // namespace

bool is_special(std::string_view name) { return lookup(name).has_value(); }

std::optional<cln::cl_F> special_value(std::string_view name, const std::vector<cln::cl_F>& args,
                                       long digits) {
  const std::optional<Function> f = lookup(name);
  if (!f || args.size() != 1 || digits < 1 || digits > kMaxDigits) return std::nullopt;
  clean_up_arb_when_this_thread_ends();

  const slong goal = static_cast<slong>(std::ceil(static_cast<double>(digits) * kBitsPerDigit));
  // float_format(d) is a double float for d <= 16; the result is always a long float.
  const cln::float_format_t format = cln::float_format(std::max(digits, 20L));
  try {
    Ball x, y;
    set_exact(x.get(), args.front());
    slong precision = goal + kGuardBits;
    for (int attempt = 0; attempt < kAttempts; ++attempt, precision *= 2) {
      if (outside_domain(*f, x.get(), precision)) return std::nullopt;
      evaluate(*f, y.get(), x.get(), precision);
      // An exact zero has unbounded relative accuracy; a ball around 0 that is not 0 has none.
      if (arb_is_finite(y.get()) && arb_rel_accuracy_bits(y.get()) >= goal) return midpoint(y.get(), format);
    }
  } catch (const std::exception&) {  // CLN's floating-point overflow or underflow on the way back
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace napier
