// numpy pairwise sum and Python-style number formatting.
#include "text/numeric_format.h"

#include <cmath>
#include <cstdio>

#include "text/utf8.h"

namespace spanloop::text::detail {

double numpy_sum(std::span<const double> a) {
  // numpy/core/src/umath/loops_utils.h.src pairwise_sum: plain loop below 8 elements, eight
  // accumulators up to 128, recursive halves (at a multiple of 8) above.
  const std::size_t n = a.size();
  if (n < 8) {
    double res = 0.0;
    for (double v : a) res += v;
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_sum(a.subspan(0, n2)) + numpy_sum(a.subspan(n2));
}

std::string python_fixed(double x, int digits) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string align_right(std::string_view s, std::size_t width) {
  const std::size_t len = count_code_points(s);
  std::string out;
  if (len < width) out.assign(width - len, ' ');
  out.append(s);
  return out;
}

}  // namespace spanloop::text::detail
