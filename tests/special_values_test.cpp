// Arb's special functions through napier::special_value, against mpmath. Each reference value below was
// printed by
//   python3 -c "import mpmath; from mpmath import mpf; mpmath.mp.dps = 260; print(mpmath.nstr(EXPR, 230,
//               min_fixed=0, max_fixed=0))"      (one line)
// (mpmath 1.3.0) with EXPR the expression in the comment above it: 230 significant digits, enough to judge a
// 200-digit result. Every argument is a dyadic rational, so the CLN float passed is exactly the number mpmath
// was given.
#include "napier/special_values.hpp"

#include <cln/dfloat.h>
#include <cln/float.h>
#include <cln/float_io.h>
#include <cln/integer.h>
#include <cln/rational.h>
#include <cln/rational_io.h>
#include <cln/real.h>
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// mpmath.erf(mpf(1)/2)
constexpr const char* kErfHalf =
    "5.2049987781304653768274665389196452873645157575796370005880572564719352171685357091478821873478"
    "775703296612438619439123606541469059089077460621809802503697417001919711186197446166540544109888"
    "249018844108050082845304975729473637323e-1";
// mpmath.erf(-3)
constexpr const char* kErfMinus3 =
    "-9.999779095030014145586272238704176796201522929126007503427610451570575433163798677321837453491"
    "846837128565538002718387647429960972462032505343392848941651621872547944163130027580204838982178"
    "2350420096426464501335115239811038071464e-1";
// mpmath.erfc(5)
constexpr const char* kErfc5 =
    "1.5374597944280348501883434853833788901180503147233799306879140559203913645586914647181438594641"
    "887693124296121652386048637209625231370725881915107941000952915802861394033089030108325844567287"
    "910450758570659332121135949584006567233e-12";
// mpmath.erfi(1)
constexpr const char* kErfi1 =
    "1.6504257587975428760253377295613624438956798748740228776002579963161113049256459225338501685854"
    "561814253868296457692949718153633783008020276571949958822563039035835505677735330447819023713781"
    "547673552098110785405180069447932301825";
// mpmath.lambertw(1)
constexpr const char* kOmega =
    "5.6714329040978387299996866221035554975381578718651250813513107922304579308668456669321944696175"
    "229455763802497286678978545235846594007299560851643928999461431157149295980359437669847463560613"
    "422684613569895704539776248557078658773e-1";
// mpmath.lambertw(-mpf(404487722187)/2**40)
constexpr const char* kLambertWNearBranch =
    "-9.999296583923005616424978739738876047745749357646988565013290689607781212677906267239352968075"
    "715878211555050383337703420021269451747171631508675660135139141109807028577296897380231667008056"
    "5386773335352366207764985768891688007861e-1";
// mpmath.gamma(mpf(1)/2)
constexpr const char* kGammaHalf =
    "1.7724538509055160272981674833411451827975494561223871282138077898529112845910321813749506567385"
    "446654162268236242825706662361528657244226025250937096027870684620376986531051228499251730289508"
    "262289320953792679628001746390153514797";
// mpmath.digamma(1)
constexpr const char* kDigamma1 =
    "-5.772156649015328606065120900824024310421593359399235988057672348848677267776646709369470632917"
    "467495146314472498070824809605040144865428362241739976449235362535003337429373377376739427925952"
    "5824709491600873520394816567085323315178e-1";
// mpmath.zeta(2)
constexpr const char* kZeta2 =
    "1.6449340668482264364724151666460251892189499012067984377355582293700074704032008738336289006197"
    "587053040043189623371906796287246870050077879351029463308662768317333093677626050952510068721400"
    "547968115587948903608232777619198407565";
// mpmath.digamma(mpf(1.4616321449683622))
constexpr const char* kDigammaNearRoot =
    "-9.241265521729427516792351415159887686507720566985395930886856862257279004417402433057327421942"
    "599379143374725186947586259746883419049319815693252893875854118071365231240967773011759101113234"
    "5239408359834358338259631353973620073073e-17";

// A decimal "[-]d.ddd[e[-]n]" as the exact rational it denotes.
cln::cl_RA decimal(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  cln::cl_I digits = 0;
  long exponent = 0;
  bool after_point = false;
  std::size_t i = 0;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      after_point = true;
      continue;
    }
    digits = digits * 10 + (text[i] - '0');
    if (after_point) --exponent;
  }
  if (i < text.size()) exponent += std::stol(std::string(text.substr(i + 1)));
  const cln::cl_RA magnitude = exponent >= 0 ? cln::cl_RA(digits * cln::expt_pos(cln::cl_I(10), exponent))
                                             : cln::cl_RA(digits) / cln::expt_pos(cln::cl_I(10), -exponent);
  return negative ? -magnitude : magnitude;
}

// An exact argument (every one here is dyadic, so 60 digits hold it exactly).
std::vector<cln::cl_F> at(const cln::cl_RA& x) { return {cln::cl_float(x, cln::float_format(60))}; }

constexpr long kDigits[] = {50, 200};

// Whether value equals `reference` (a decimal) to within 10^-(digits-2) relative, compared exactly.
testing::AssertionResult agrees(const cln::cl_F& value, const std::string& reference, long digits) {
  const cln::cl_RA expected = decimal(reference);
  const cln::cl_RA error = cln::abs(cln::rational(value) - expected);
  if (error <= cln::abs(expected) / cln::expt_pos(cln::cl_I(10), digits - 2))
    return testing::AssertionSuccess();
  std::ostringstream text;
  text << "got  " << value << "\nwant " << reference << "\nnot within 1e-" << digits - 2 << " relative";
  return testing::AssertionFailure() << text.str();
}

// The value is there and agrees with `reference`.
void expect_value(std::string_view name, const cln::cl_RA& x, long digits, const char* reference) {
  SCOPED_TRACE(std::string(name) + " at " + std::to_string(digits) + " digits");
  const std::optional<cln::cl_F> value = napier::special_value(name, at(x), digits);
  ASSERT_TRUE(value.has_value());
  EXPECT_TRUE(agrees(*value, reference, digits));
}

TEST(ArbSpecialValues, ErfAtOneHalf) {
  for (long digits : kDigits) expect_value("erf", cln::cl_RA(1) / 2, digits, kErfHalf);
}

TEST(ArbSpecialValues, ErfAtMinusThree) {
  for (long digits : kDigits) expect_value("erf", -3, digits, kErfMinus3);
}

TEST(ArbSpecialValues, ErfcAtFiveIsTinyAndRelativelyAccurate) {
  // 1.5e-12: 1 - erf(5) in 50-digit arithmetic would keep only 38 of its digits.
  for (long digits : kDigits) expect_value("erfc", 5, digits, kErfc5);
}

TEST(ArbSpecialValues, ErfiAtOne) {
  for (long digits : kDigits) expect_value("erfi", 1, digits, kErfi1);
}

TEST(ArbSpecialValues, LambertWAtOneIsTheOmegaConstant) {
  for (long digits : kDigits) expect_value("lambertw", 1, digits, kOmega);
  const std::optional<cln::cl_F> omega = napier::special_value("lambertw", at(1), 30);
  ASSERT_TRUE(omega.has_value());
  EXPECT_TRUE(agrees(*omega, "0.5671432904097838729999686622", 30));
}

TEST(ArbSpecialValues, LambertWJustAboveMinusOneOverE) {
  // -404487722187/2^40 is -1/e + 9.1e-10: W0 is real there, close to -1.
  for (long digits : kDigits)
    expect_value("lambertw", cln::cl_RA(-404487722187) / cln::expt_pos(cln::cl_I(2), 40), digits,
                 kLambertWNearBranch);
}

TEST(ArbSpecialValues, LambertWBelowMinusOneOverEHasNoValue) {
  for (long digits : kDigits) {
    EXPECT_FALSE(napier::special_value("lambertw", at(-1), digits).has_value());
    // -1/e - 9.1e-10.
    EXPECT_FALSE(napier::special_value(
                     "lambertw", at(cln::cl_RA(-404487724187) / cln::expt_pos(cln::cl_I(2), 40)), digits)
                     .has_value());
  }
}

TEST(ArbSpecialValues, GammaAtOneHalfIsSqrtPi) {
  for (long digits : kDigits) expect_value("gamma", cln::cl_RA(1) / 2, digits, kGammaHalf);
  // And sqrt(pi) by CLN, independently of mpmath.
  const std::optional<cln::cl_F> g = napier::special_value("gamma", at(cln::cl_RA(1) / 2), 200);
  ASSERT_TRUE(g.has_value());
  std::ostringstream root_pi;
  root_pi << cln::sqrt(cln::pi(cln::float_format(220)));  // "1.7724...L0": digits, then the exponent marker
  EXPECT_TRUE(agrees(*g, root_pi.str().substr(0, root_pi.str().find('L')), 200));
}

TEST(ArbSpecialValues, GammaAndDigammaAtNonPositiveIntegersHaveNoValue) {
  for (long digits : kDigits) {
    for (int n : {0, -1, -2, -50}) {
      EXPECT_FALSE(napier::special_value("gamma", at(n), digits).has_value()) << n;
      EXPECT_FALSE(napier::special_value("digamma", at(n), digits).has_value()) << n;
    }
  }
}

TEST(ArbSpecialValues, DigammaAtOneIsMinusEulerGamma) {
  for (long digits : kDigits) expect_value("digamma", 1, digits, kDigamma1);
}

TEST(ArbSpecialValues, DigammaNextToItsRootIsStillRelativelyAccurate) {
  // The double nearest digamma's positive root: the value is -9.2e-17, and cancellation costs Arb about 50
  // bits, which a second evaluation at twice the precision makes up.
  const cln::cl_RA x = cln::rational(cln::cl_DF(1.4616321449683622));
  for (long digits : kDigits) expect_value("digamma", x, digits, kDigammaNearRoot);
}

TEST(ArbSpecialValues, ZetaAtTwoIsPiSquaredOverSix) {
  for (long digits : kDigits) expect_value("zeta", 2, digits, kZeta2);
}

TEST(ArbSpecialValues, ZetaAtOneHasNoValue) {
  for (long digits : kDigits) EXPECT_FALSE(napier::special_value("zeta", at(1), digits).has_value());
}

TEST(ArbSpecialValues, ExactZerosAreZero) {
  for (long digits : kDigits) {
    const std::optional<cln::cl_F> erf0 = napier::special_value("erf", at(0), digits);
    ASSERT_TRUE(erf0.has_value());
    EXPECT_TRUE(cln::zerop(*erf0));
    const std::optional<cln::cl_F> trivial_zero = napier::special_value("zeta", at(-2), digits);
    ASSERT_TRUE(trivial_zero.has_value());
    EXPECT_TRUE(cln::zerop(*trivial_zero));
  }
}

TEST(ArbSpecialValues, UnknownNamesAreNotSpecial) {
  for (std::string_view name : {"sin", "Erf", "W", "lambert_w", "", "zeta2"}) {
    EXPECT_FALSE(napier::is_special(name)) << name;
    for (long digits : kDigits) EXPECT_FALSE(napier::special_value(name, at(1), digits).has_value()) << name;
  }
  for (std::string_view name : {"erf", "erfc", "erfi", "lambertw", "gamma", "digamma", "zeta"})
    EXPECT_TRUE(napier::is_special(name)) << name;
}

TEST(ArbSpecialValues, OnlyOneArgumentAndDigitsInRange) {
  EXPECT_FALSE(napier::special_value("erf", {}, 50).has_value());
  const cln::cl_F half = cln::cl_float(cln::cl_RA(1) / 2, cln::float_format(60));
  EXPECT_FALSE(napier::special_value("erf", {half, half}, 50).has_value());
  EXPECT_FALSE(napier::special_value("erf", {half}, 0).has_value());
  EXPECT_FALSE(napier::special_value("erf", {half}, 1'000'001).has_value());
}

TEST(ArbSpecialValues, ResultsCarryTheDigitsAskedFor) {
  const std::optional<cln::cl_F> at200 = napier::special_value("erf", at(cln::cl_RA(1) / 2), 200);
  ASSERT_TRUE(at200.has_value());
  EXPECT_GE(cln::float_digits(*at200), static_cast<unsigned long>(200 * 3.32));
  // Even a few digits come back as a long float (float_format(10) alone would be a double).
  const std::optional<cln::cl_F> at10 = napier::special_value("erf", at(cln::cl_RA(1) / 2), 10);
  ASSERT_TRUE(at10.has_value());
  EXPECT_GE(cln::float_digits(*at10), static_cast<unsigned long>(20 * 3.32));
}

TEST(ArbSpecialValues, ADoubleArgumentIsTakenExactly) {
  // The double 0.5 is 1/2: the 200-digit value is erf(1/2), not limited by the argument's 53 bits.
  const std::optional<cln::cl_F> value = napier::special_value("erf", {cln::cl_DF(0.5)}, 200);
  ASSERT_TRUE(value.has_value());
  EXPECT_TRUE(agrees(*value, kErfHalf, 200));
}

TEST(ArbSpecialValues, WorkerThreadsEachGetTheValue) {
  // Each thread fills its own Arb caches and frees them as it ends (a leak here fails the ASan build's run).
  const auto digits_of = [](std::size_t i) { return 50 + 50 * static_cast<long>(i); };  // 50 to 200
  std::vector<std::optional<cln::cl_F>> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back(
        [&results, &digits_of, i] { results[i] = napier::special_value("zeta", at(2), digits_of(i)); });
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].has_value()) << i;
    EXPECT_TRUE(agrees(*results[i], kZeta2, digits_of(i))) << i;
  }
}

}  // namespace
