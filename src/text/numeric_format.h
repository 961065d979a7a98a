// Internal: numpy's float summation and Python/Perl number formatting, so printed metrics match
// seqeval and conlleval to the last printed digit.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace spanloop::text::detail {

// numpy's pairwise summation of float64 (add.reduce), which np.average and np.mean use.
double numpy_sum(std::span<const double> values);

// Python's format(x, ".{digits}f") ("nan"/"inf" spelled like Python).
std::string python_fixed(double x, int digits);
// Right-aligns `s` to `width` counting code points, like Python's '{:>{width}s}'.
std::string align_right(std::string_view s, std::size_t width);

}  // namespace spanloop::text::detail
